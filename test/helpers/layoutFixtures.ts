// Our runbooks written in the layouts public runbooks use (test/fixtures/runbooks), shared by the golden-model test,
// the check precision test and the benchmark.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './seed';

export const LAYOUT_FIXTURES = [
  'alerts/PgReplicationLagCritical.md',
  'articles/edge-function-timeouts.md',
  'articles/storage-bucket-quota.md',
  'billing-service.md',
  'queue-alerts.md',
  'prefixed-headings.md',
  'part-names.md',
  'nested-steps.md',
  'transcripts.md',
  'placeholder-styles.md',
  'check-traps.md',
];

export const LAYOUT_FIXTURES_DIR = join(PROJECT_ROOT, 'test', 'fixtures', 'runbooks');

export function readLayoutFixture(file: string): string {
  return readFileSync(join(LAYOUT_FIXTURES_DIR, file), 'utf8');
}
