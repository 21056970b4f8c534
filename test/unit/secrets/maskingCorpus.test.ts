// Masking covers the forms secrets take (issue 9 §3): 160 forms of a known secret and 160 ways commands and configs
// write an unknown one, through maskSecrets (the journal, terminal output) and SecretMask (SQL results), with no
// leak; and ordinary text stays readable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskSecrets } from '../../../src/core/secrets/maskSecrets';
import { SecretMask } from '../../../src/core/secrets/secretMask';
import { RunJournal } from '../../../src/core/journal/runJournal';
import { knownSecretCases, unknownSecretCases, type SecretCase } from './secretForms';

function leaks(cases: readonly SecretCase[], mask: (c: SecretCase) => string): string[] {
  return cases.flatMap((c) => {
    const masked = mask(c);
    const found = c.mustNotContain.filter((s) => masked.includes(s));
    return found.length ? [`${c.label}: ${JSON.stringify(masked)}`] : [];
  });
}

test('160 forms of a known secret: none survives the journal', (t) => {
  const cases = knownSecretCases();
  assert.equal(cases.length, 160);
  const leaked = leaks(cases, (c) => maskSecrets(c.text, [c.secret!]));
  t.diagnostic(`${leaked.length} of ${cases.length} known-secret forms leak`);
  assert.deepEqual(leaked, []);
  // The journal masks what it records with the secrets it knows.
  const secrets: string[] = [];
  const journal = new RunJournal({ knownSecrets: () => secrets });
  for (const c of cases) {
    secrets.splice(0, secrets.length, c.secret!);
    const recorded = journal.record({ project: 'local', kind: 'shell', command: c.text });
    assert.ok(!c.mustNotContain.some((s) => recorded.command.includes(s)), c.label);
  }
});

test('160 ways of writing an unknown secret: none survives the journal', (t) => {
  const cases = unknownSecretCases();
  assert.equal(cases.length, 160);
  const leaked = leaks(cases, (c) => maskSecrets(c.text));
  t.diagnostic(`${leaked.length} of ${cases.length} unknown-secret forms leak`);
  assert.deepEqual(leaked, []);
});

test('SQL results: a typed secret in any of its forms is masked in cells and messages', () => {
  for (const c of knownSecretCases()) {
    const mask = new SecretMask([c.secret]);
    const cell = mask.value(c.text);
    assert.ok(!c.mustNotContain.some((s) => cell.includes(s)), `cell: ${c.label}: ${cell}`);
    const message = mask.text(`ERROR: invalid input syntax: "${c.text}"`);
    assert.ok(!c.mustNotContain.some((s) => message.includes(s)), `message: ${c.label}: ${message}`);
  }
});

test('ordinary text stays readable', () => {
  const plain = [
    'psql postgresql://app@127.0.0.1:54322/app -c "create extension postgres_fdw"',
    'SHOW password_encryption;',
    "SET password_encryption = 'scram-sha-256';",
    'select rolname, rolpassword is not null as has_password from pg_authid',
    'refresh_token_rotation_enabled: true',
    'jwt_expiry: 3600',
    'curl https://www.npmjs.com/package/@supabase/supabase-js',
    'git clone git@github.com:org/repo.git',
    'supabase secrets list',
    'grep -r token src/ | wc -l',
    'echo "token: $SUPABASE_ACCESS_TOKEN"',
    'X-Request-Id: 6f1c2a',
    'Cookie: $COOKIE',
    'cat ~/.pgpass',
    'ssh -p 2222 ops@db',
    'mysql -u app -p app',
    'Content-Type: application/json',
    'tokens processed: 42',
    'echo 68656c6c6f',
  ];
  for (const line of plain) assert.equal(maskSecrets(line), line, line);
  // Known secrets that are plain words mask only as words of their own, in any case of their own.
  assert.equal(
    maskSecrets('psql postgresql://app:postgres@127.0.0.1:54322/app -c "create extension postgres_fdw"', ['postgres']),
    'psql postgresql://app:••••@127.0.0.1:54322/app -c "create extension postgres_fdw"',
  );
});
