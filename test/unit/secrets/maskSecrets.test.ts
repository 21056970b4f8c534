// Recorded runs never hold a secret: known values and credential-shaped text are masked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MASK, maskSecrets } from '../../../src/core/secrets/maskSecrets';

const PAT = 'sbp_0123456789abcdef0123456789abcdef01234567';
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.dGhpc2lzbm90YXNpZ25hdHVyZQ';

test('known secret values are masked wherever they appear, also URL-encoded', () => {
  assert.equal(
    maskSecrets('login with hunter2!x and again hunter2!x', ['hunter2!x']),
    `login with ${MASK} and again ${MASK}`,
  );
  assert.equal(maskSecrets('postgresql://u:p%40ss%2Fword@h/db', ['p@ss/word']), `postgresql://u:${MASK}@h/db`);
  assert.equal(maskSecrets('abc is short', ['abc', '']), 'abc is short');
  // The longer of two overlapping secrets is masked whole.
  assert.equal(maskSecrets('token-123456 token-123', ['token-123', 'token-123456']), `${MASK} ${MASK}`);
});

test('credential patterns are masked without knowing the value', () => {
  const cases: [string, string][] = [
    [`SUPABASE_ACCESS_TOKEN=${PAT} supabase functions list`, `SUPABASE_ACCESS_TOKEN=${MASK} supabase functions list`],
    [`token ${PAT}`, `token ${MASK}`],
    [
      `curl -H "apikey: ${JWT}" -H "Authorization: Bearer ${JWT}" https://x`,
      `curl -H "apikey: ${MASK}" -H "Authorization: Bearer ${MASK}" https://x`,
    ],
    [
      'psql postgresql://postgres:S3cr3t!@db.x.supabase.co:5432/postgres',
      `psql postgresql://postgres:${MASK}@db.x.supabase.co:5432/postgres`,
    ],
    [
      'psql postgres://postgres.abc:pw@aws-0.pooler.supabase.com:6543/postgres',
      `psql postgres://postgres.abc:${MASK}@aws-0.pooler.supabase.com:6543/postgres`,
    ],
    ["PGPASSWORD='p w' psql -h x", `PGPASSWORD=${MASK} psql -h x`],
    ['supabase db push --password hunter2 --remote', `supabase db push --password ${MASK} --remote`],
    ['supabase link --password=hunter2', `supabase link --password=${MASK}`],
    [
      'supabase secrets set STRIPE_WEBHOOK=whsec_abc OTHER="x y"',
      `supabase secrets set STRIPE_WEBHOOK=${MASK} OTHER=${MASK}`,
    ],
    ['OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz npm run dev', `OPENAI_API_KEY=${MASK} npm run dev`],
    ['curl "https://x/rest/v1/t?apikey=abc123&select=id"', `curl "https://x/rest/v1/t?apikey=${MASK}&select=id"`],
    ['Authorization: Basic dXNlcjpwYXNz', `Authorization: Basic ${MASK}`],
    ['key ghp_abcdefghijklmnopqrstuvwxyz0123456789', `key ${MASK}`],
  ];
  for (const [input, expected] of cases) assert.equal(maskSecrets(input), expected, input);
});

test('passwords in options, curl users, connection strings, assignments and headers are masked', () => {
  const cases: [string, string][] = [
    ['supabase link --project-ref abc -p hunter2', `supabase link --project-ref abc -p ${MASK}`],
    ['supabase db push -p=hunter2 --remote', `supabase db push -p=${MASK} --remote`],
    ['supabase link --password hunter2', `supabase link --password ${MASK}`],
    ['supabase link --password=hunter2', `supabase link --password=${MASK}`],
    ['curl -u admin:hunter2 https://x', `curl -u admin:${MASK} https://x`],
    ["curl --user 'admin:hunter2' https://x", `curl --user 'admin:${MASK}' https://x`],
    ['curl -uadmin:hunter2 https://x', `curl -uadmin:${MASK} https://x`],
    [
      'psql "host=db.example.com user=app password=hunter2 dbname=app"',
      `psql "host=db.example.com user=app password=${MASK} dbname=app"`,
    ],
    ["psql 'password=hunter2 host=x'", `psql 'password=${MASK} host=x'`],
    ['psql postgresql://user:hunter2@host/db', `psql postgresql://user:${MASK}@host/db`],
    ['curl https://admin:hunter2@example.com/x', `curl https://admin:${MASK}@example.com/x`],
    ['export DB_PASS=hunter2', `export DB_PASS=${MASK}`],
    ['export db_pass=hunter2', `export db_pass=${MASK}`],
    ['ADMIN_PW=hunter2 ./x', `ADMIN_PW=${MASK} ./x`],
    [
      'export STRIPE_SECRET=abc MY_TOKEN=def SIGNING_KEY=ghi SMTP_PASSWORD=jkl GPG_PASSPHRASE=mno',
      `export STRIPE_SECRET=${MASK} MY_TOKEN=${MASK} SIGNING_KEY=${MASK} SMTP_PASSWORD=${MASK} GPG_PASSPHRASE=${MASK}`,
    ],
    ['curl -H "Authorization: Bearer abc.def" https://x', `curl -H "Authorization: Bearer ${MASK}" https://x`],
    ["curl -H 'authorization:bearer abc' https://x", `curl -H 'authorization:bearer ${MASK}' https://x`],
    ["curl -H 'apikey: abc' https://x", `curl -H 'apikey: ${MASK}' https://x`],
    [
      'curl -d \'{"email":"a@b.c","password":"hunter2"}\' https://x',
      `curl -d '{"email":"a@b.c","password":"${MASK}"}' https://x`,
    ],
  ];
  for (const [input, expected] of cases) assert.equal(maskSecrets(input), expected, input);
  // Not secrets: the working directory, a port, a monkey, a key id.
  for (const plain of [
    'export PWD=/srv/app',
    'psql -h db -p 5432 -U postgres',
    'MONKEY=1 ./x',
    'KEY_ID=abc ./x',
    'sudo -u postgres psql',
    'docker run -u 1000:1000 img',
  ]) {
    assert.equal(maskSecrets(plain), plain, plain);
  }
});

test('a short or word-like known secret is masked only as a token of its own', () => {
  // The local stack's password is "postgres": its URL scheme and extension names stay readable.
  assert.equal(
    maskSecrets('psql postgresql://app:postgres@127.0.0.1:54322/app -c "create extension postgres_fdw"', ['postgres']),
    `psql postgresql://app:${MASK}@127.0.0.1:54322/app -c "create extension postgres_fdw"`,
  );
  assert.equal(maskSecrets('echo postgres; echo postgresql', ['postgres']), `echo ${MASK}; echo postgresql`);
  assert.equal(
    maskSecrets('pass hunter2 not xhunter2 or hunter2x', ['hunter2']),
    `pass ${MASK} not xhunter2 or hunter2x`,
  );
  // A long random secret is masked even glued to other text.
  assert.equal(maskSecrets('echo XYZsb_9f8e7d6c5b4a3bABC', ['sb_9f8e7d6c5b4a3b']), `echo XYZ${MASK}ABC`);
});

test('variable references show where a secret comes from and are kept', () => {
  const command =
    'curl -H "Authorization: Bearer $SUPABASE_SERVICE_ROLE_KEY" -H "apikey: ${ANON_KEY}" https://x && PGPASSWORD="$DB_PASSWORD" psql';
  assert.equal(maskSecrets(command), command);
  assert.equal(maskSecrets('supabase secrets set KEY=$KEY'), 'supabase secrets set KEY=$KEY');
});

test('masking is idempotent and leaves ordinary commands alone', () => {
  const once = maskSecrets(
    `PGPASSWORD=x SUPABASE_ACCESS_TOKEN=${PAT} psql postgresql://a:b@c/d -c "select 1" --password y`,
    ['x-secret'],
  );
  assert.equal(maskSecrets(once, ['x-secret']), once);
  for (const plain of [
    'supabase functions deploy generate-content',
    'git push origin main',
    'curl https://trxmsoyjjoopnvzohmvi.supabase.co/functions/v1/health',
    'npm run build',
  ]) {
    assert.equal(maskSecrets(plain), plain);
  }
});

test('the masker prepared for one set of secrets is never used for another', () => {
  const text = 'first-secret-value then second-secret-value';
  assert.equal(maskSecrets(text, ['first-secret-value']), `${MASK} then second-secret-value`);
  assert.equal(maskSecrets(text, ['second-secret-value']), `first-secret-value then ${MASK}`);
  assert.equal(maskSecrets(text, ['first-secret-value', 'second-secret-value']), `${MASK} then ${MASK}`);
  assert.equal(maskSecrets(text, []), text);
  assert.equal(maskSecrets(text, ['first-secret-value']), `${MASK} then second-secret-value`);
});
