// Recorded runs never hold a secret: known values and credential-shaped text are masked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MASK, maskSecrets } from '../../../src/core/shell/maskSecrets';

const PAT = 'sbp_0123456789abcdef0123456789abcdef01234567';
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.dGhpc2lzbm90YXNpZ25hdHVyZQ';

test('known secret values are masked wherever they appear, also URL-encoded', () => {
  assert.equal(maskSecrets('login with hunter2!x and again hunter2!x', ['hunter2!x']), `login with ${MASK} and again ${MASK}`);
  assert.equal(maskSecrets('postgresql://u:p%40ss%2Fword@h/db', ['p@ss/word']), `postgresql://u:${MASK}@h/db`);
  assert.equal(maskSecrets('abc is short', ['abc', '']), 'abc is short');
  // The longer of two overlapping secrets is masked whole.
  assert.equal(maskSecrets('token-123456 token-123', ['token-123', 'token-123456']), `${MASK} ${MASK}`);
});

test('credential patterns are masked without knowing the value', () => {
  const cases: [string, string][] = [
    [`SUPABASE_ACCESS_TOKEN=${PAT} supabase functions list`, `SUPABASE_ACCESS_TOKEN=${MASK} supabase functions list`],
    [`token ${PAT}`, `token ${MASK}`],
    [`curl -H "apikey: ${JWT}" -H "Authorization: Bearer ${JWT}" https://x`, `curl -H "apikey: ${MASK}" -H "Authorization: Bearer ${MASK}" https://x`],
    ['psql postgresql://postgres:S3cr3t!@db.x.supabase.co:5432/postgres', `psql postgresql://postgres:${MASK}@db.x.supabase.co:5432/postgres`],
    ['psql postgres://postgres.abc:pw@aws-0.pooler.supabase.com:6543/postgres', `psql postgres://postgres.abc:${MASK}@aws-0.pooler.supabase.com:6543/postgres`],
    ["PGPASSWORD='p w' psql -h x", `PGPASSWORD=${MASK} psql -h x`],
    ['supabase db push --password hunter2 --remote', `supabase db push --password ${MASK} --remote`],
    ['supabase link --password=hunter2', `supabase link --password=${MASK}`],
    ['supabase secrets set STRIPE_WEBHOOK=whsec_abc OTHER="x y"', `supabase secrets set STRIPE_WEBHOOK=${MASK} OTHER=${MASK}`],
    ['OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz npm run dev', `OPENAI_API_KEY=${MASK} npm run dev`],
    ['curl "https://x/rest/v1/t?apikey=abc123&select=id"', `curl "https://x/rest/v1/t?apikey=${MASK}&select=id"`],
    ['Authorization: Basic dXNlcjpwYXNz', `Authorization: Basic ${MASK}`],
    ['key ghp_abcdefghijklmnopqrstuvwxyz0123456789', `key ${MASK}`],
  ];
  for (const [input, expected] of cases) assert.equal(maskSecrets(input), expected, input);
});

test('variable references show where a secret comes from and are kept', () => {
  const command = 'curl -H "Authorization: Bearer $SUPABASE_SERVICE_ROLE_KEY" -H "apikey: ${ANON_KEY}" https://x && PGPASSWORD="$DB_PASSWORD" psql';
  assert.equal(maskSecrets(command), command);
  assert.equal(maskSecrets('supabase secrets set KEY=$KEY'), 'supabase secrets set KEY=$KEY');
});

test('masking is idempotent and leaves ordinary commands alone', () => {
  const once = maskSecrets(`PGPASSWORD=x SUPABASE_ACCESS_TOKEN=${PAT} psql postgresql://a:b@c/d -c "select 1" --password y`, ['x-secret']);
  assert.equal(maskSecrets(once, ['x-secret']), once);
  for (const plain of ['supabase functions deploy generate-content', 'git push origin main', 'curl https://trxmsoyjjoopnvzohmvi.supabase.co/functions/v1/health', 'npm run build']) {
    assert.equal(maskSecrets(plain), plain);
  }
});
