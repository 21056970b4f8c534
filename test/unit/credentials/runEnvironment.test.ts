// What a run's process is given: libpq's PG* variables with the password, the access token, secret placeholder
// values under RUNBOOK_SECRET_*; every one of them listed for masking, and nothing given that was not asked for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runEnvironment } from '../../../src/core/credentials/runEnvironment';
import { databaseEnvironment } from '../../../src/core/credentials/databaseEnvironment';
import { splitPlaceholderAnswers } from '../../../src/core/credentials/secretPlaceholders';
import type { DatabaseTarget } from '../../../src/core/projects/linkedProject';

const DB: DatabaseTarget = { host: 'db.example', port: 6543, user: 'postgres', database: 'app', sslmode: 'require' };
const TOKEN = `sbp_${'a'.repeat(40)}`;

test('nothing asked for, nothing given', () => {
  assert.deepEqual(runEnvironment({}), { env: {}, secrets: [], holds: '' });
});

test('the database password arrives as libpq variables, the CA file only where it is verified', () => {
  assert.deepEqual(databaseEnvironment(DB, 'pw'), {
    PGHOST: 'db.example',
    PGPORT: '6543',
    PGUSER: 'postgres',
    PGDATABASE: 'app',
    PGPASSWORD: 'pw',
    PGSSLMODE: 'require',
  });
  assert.equal(databaseEnvironment({ ...DB, caFile: '/ca.pem' }, 'pw').PGSSLROOTCERT, undefined);
  assert.equal(
    databaseEnvironment({ ...DB, sslmode: 'verify-full', caFile: '/ca.pem' }, 'pw').PGSSLROOTCERT,
    '/ca.pem',
  );
});

test('password, token and secret placeholders together: all in the environment, all to be masked', () => {
  const run = runEnvironment({
    database: { db: DB, password: 'pw-123456' },
    accessToken: TOKEN,
    secretEnv: { RUNBOOK_SECRET_NEW_KEY: 'new-key-value' },
  });
  assert.equal(run.env.SUPABASE_ACCESS_TOKEN, TOKEN);
  assert.equal(run.env.PGPASSWORD, 'pw-123456');
  assert.equal(run.env.RUNBOOK_SECRET_NEW_KEY, 'new-key-value');
  assert.deepEqual(run.secrets, [TOKEN, 'pw-123456', 'new-key-value']);
  assert.equal(run.holds, 'database + access token');
  assert.equal(runEnvironment({ accessToken: TOKEN }).holds, 'access token');
});

test('placeholder answers: secrets go to the environment under a variable the command line names', () => {
  const split = splitPlaceholderAnswers(
    new Map([
      ['org_id', '42'],
      ['new_key', 'sb_secret_x'],
    ]),
  );
  assert.deepEqual(split, {
    values: { org_id: '42' },
    secretVariables: { new_key: 'RUNBOOK_SECRET_NEW_KEY' },
    secretEnv: { RUNBOOK_SECRET_NEW_KEY: 'sb_secret_x' },
  });
});
