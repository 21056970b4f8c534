// Golden models of our own runbooks written in the layouts public runbooks use (test/fixtures/runbooks): one alert per
// file with its parts as headings, a support article with TOML front matter, problems under Troubleshooting, Known
// issues and Alerts groups, prefixed headings, the many names of parts, code in nested steps, terminal and psql
// sessions, PromQL, and the placeholder spellings. Each golden file was read against its runbook line by line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunbook } from '../../../src/core/model/parseRunbook';
import { LAYOUT_FIXTURES, readLayoutFixture } from '../../helpers/layoutFixtures';
import { assertGolden } from './goldenModel';

const read = readLayoutFixture;

for (const file of LAYOUT_FIXTURES) {
  test(`${file}: the model matches its reviewed golden file`, (t) => {
    assertGolden(t, `layouts/${file.replace(/\//g, '--').replace(/\.md$/, '')}`, parseRunbook(read(file)));
  });
}

test('46 playbooks a reader counts in public runbooks come from these shapes: here every layout finds its own', () => {
  const playbooks = (file: string) => parseRunbook(read(file)).playbooks.map((p) => `${p.name} [${p.foundBy}]`);
  assert.deepEqual(playbooks('alerts/PgReplicationLagCritical.md'), ['PgReplicationLagCritical [parts]']);
  assert.deepEqual(playbooks('articles/edge-function-timeouts.md'), ['Edge Function requests time out [parts]']);
  assert.deepEqual(playbooks('articles/storage-bucket-quota.md'), ['Storage bucket close to its quota [parts]']);
  assert.deepEqual(playbooks('billing-service.md'), [
    'Webhooks arrive twice [group]',
    'Invoices stuck in draft [group]',
    'Currency shown as XXX [group]',
    'The export button spins forever [group]',
  ]);
  assert.deepEqual(playbooks('queue-alerts.md'), [
    'QueueDepthHigh [parts]',
    'WorkerCrashLooping [parts]',
    'QueueConsumerLagging [group]',
    'QueueDeadLettersGrowing [group]',
  ]);
  assert.deepEqual(playbooks('prefixed-headings.md'), [
    'Rotate the JWT secret [prefixed]',
    'Disk almost full on the primary [prefixed]',
    'Login outage [prefixed]',
    'Dashboard slow for large organisations [prefixed]',
  ]);
  assert.deepEqual(playbooks('transcripts.md'), [], 'a page of sessions is not a playbook');
});
