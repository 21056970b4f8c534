// Placeholder values: validation per kind, and substitution that keeps every hostile value one literal argument.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  placeholderKind,
  placeholderSuggestions,
  validatePlaceholderValue,
} from '../../../src/core/shell/placeholderValues';
import { isSecretPlaceholder, secretVariableName } from '../../../src/core/secrets/secretNames';
import {
  missingPlaceholderValues,
  PlaceholderSubstitutionError,
  substitutePlaceholders,
} from '../../../src/core/bash/substitutePlaceholders';
import { quoteShellWord, quoteShellWordIfNeeded } from '../../../src/core/bash/shellQuote';
import { tokenizeShell } from '../../../src/core/bash/shellLexer';
import { HOSTILE_VALUES } from './hostileValues';

test('function names: a Supabase slug; known functions first, other slugs allowed with a warning', () => {
  const context = { functionNames: ['generate-content', 'health'] };
  assert.deepEqual(validatePlaceholderValue('function_name', 'generate-content', context), { ok: true });
  const other = validatePlaceholderValue('function_name', 'brand_new-fn2', context);
  assert.equal(other.ok, true);
  assert.match(
    other.ok ? (other.warning ?? '') : '',
    /not one of this workspace's functions \(generate-content, health\)/,
  );
  assert.deepEqual(validatePlaceholderValue('function_name', 'anything-valid', {}), { ok: true });
  for (const bad of ['1abc', '-rf', '--prune', 'a b', 'a/b', 'a;b', 'é', '', '$(x)']) {
    assert.equal(validatePlaceholderValue('function_name', bad, context).ok, false, bad);
  }
  assert.deepEqual(placeholderSuggestions('function_name', context), ['generate-content', 'health']);
  assert.deepEqual(placeholderSuggestions('migration_name', context), []);
});

test('migration names: lower-case snake case, with a suggestion when close', () => {
  assert.deepEqual(validatePlaceholderValue('migration_name', 'add_user_index', {}), { ok: true });
  assert.deepEqual(validatePlaceholderValue('migration_name', '2026_fix', {}), { ok: true });
  const bad = validatePlaceholderValue('migration_name', 'Add User-Index', {});
  assert.equal(bad.ok, false);
  assert.match(bad.ok ? '' : bad.message, /Try "add_user_index"/);
  for (const v of ['_x', 'a-b', 'A', 'a b', '; drop table x'])
    assert.equal(validatePlaceholderValue('migration_name', v, {}).ok, false, v);
});

test('generic values: any single line; no NUL, line breaks or terminal control characters', () => {
  assert.deepEqual(validatePlaceholderValue('name', 'hello world', {}), { ok: true });
  assert.deepEqual(validatePlaceholderValue('name', '$(touch /tmp/pwned)', {}), { ok: true });
  assert.deepEqual(validatePlaceholderValue('name', 'x'.repeat(10 * 1024), {}), { ok: true });
  assert.deepEqual(validatePlaceholderValue('name', 'é 世界 🚀', {}), { ok: true });
  for (const bad of ['', 'a\0b', 'a\nb', 'a\rb', 'a\tb', 'a\x03b', 'a\x15b', 'a\x1b[201~b', 'a\x7fb', 'a\u0085b']) {
    const r = validatePlaceholderValue('name', bad, {});
    assert.equal(r.ok, false, JSON.stringify(bad));
  }
  const dash = validatePlaceholderValue('name', '--force', {});
  assert.ok(dash.ok && /option/.test(dash.warning ?? ''));
  const bidi = validatePlaceholderValue('name', 'abc\u202edef', {});
  assert.ok(bidi.ok && /text-direction/.test(bidi.warning ?? ''));
});

test('placeholder kind: from its name, or from how the command uses it', () => {
  assert.equal(placeholderKind('function_name'), 'function');
  assert.equal(placeholderKind('edgeFunction'), 'function');
  assert.equal(placeholderKind('migration_name'), 'migration');
  assert.equal(placeholderKind('name'), 'generic');
  assert.equal(placeholderKind('name', 'supabase functions logs <name> --tail'), 'function');
  assert.equal(placeholderKind('name', 'npx supabase functions deploy <name>'), 'function');
  assert.equal(placeholderKind('name', 'supabase migration new <name>'), 'migration');
  assert.equal(placeholderKind('fn', 'git checkout HEAD~1 -- supabase/functions/<fn>'), 'function');
  assert.equal(placeholderKind('name', 'echo <name>'), 'generic');
  assert.equal(validatePlaceholderValue('name', 'not a slug', { kind: 'function' }).ok, false);
});

test('quoteShellWord: POSIX single quotes; quoting only when needed keeps paths readable', () => {
  assert.equal(quoteShellWord("it's"), `'it'\\''s'`);
  assert.equal(quoteShellWord(''), "''");
  assert.throws(() => quoteShellWord('a\0b'));
  assert.equal(quoteShellWordIfNeeded('node_modules/.bin/supabase'), 'node_modules/.bin/supabase');
  assert.equal(quoteShellWordIfNeeded('/my project/supabase'), "'/my project/supabase'");
  assert.equal(quoteShellWordIfNeeded('A=b'), "'A=b'");
});

test('substitution quotes per context: bare, inside single quotes, inside double quotes', () => {
  const v = { name: "it's $(x)" };
  assert.equal(substitutePlaceholders('echo <name>', v), `echo 'it'\\''s $(x)'`);
  assert.equal(substitutePlaceholders("echo 'pre <name> post'", v), `echo 'pre ''it'\\''s $(x)'' post'`);
  assert.equal(substitutePlaceholders('echo "pre <name> post"', v), `echo "pre "'it'\\''s $(x)'" post"`);
  assert.equal(
    substitutePlaceholders('git checkout HEAD~1 -- supabase/functions/<function_name>', { function_name: 'health' }),
    "git checkout HEAD~1 -- supabase/functions/'health'",
  );
  assert.equal(
    substitutePlaceholders('cat <<EOF\nname: <name>\nEOF', { name: 'a $b `c` \\d' }),
    'cat <<EOF\nname: a \\$b \\`c\\` \\\\d\nEOF',
  );
  assert.equal(substitutePlaceholders("cat <<'EOF'\n<name>\nEOF", { name: 'a $b' }), "cat <<'EOF'\na $b\nEOF");
  assert.equal(substitutePlaceholders('echo <a> # <b> stays', { a: '1' }), "echo '1' # <b> stays");
  assert.equal(substitutePlaceholders('echo $((<n> + 1))', { n: '41' }), 'echo $((41 + 1))');
});

test('substitution refuses what cannot be made safe', () => {
  const refuses = (command: string, values: Record<string, string>, pattern: RegExp): void => {
    assert.throws(
      () => substitutePlaceholders(command, values),
      (e: unknown) => e instanceof PlaceholderSubstitutionError && pattern.test(e.message),
    );
  };
  refuses('echo <name>', {}, /No value was given for <name>/);
  refuses('echo <name>', { name: 'a\0b' }, /NUL/);
  refuses('cat <<EOF\n<name>\nEOF', { name: 'a\nEOF\ntouch /tmp/pwned' }, /line break/);
  refuses('cat <<EOF\n<name>\nEOF', { name: 'EOF' }, /structure/);
  refuses('echo ${X:-<name>}', { name: 'x' }, /\$\{…\}/);
  refuses('echo $<name>', { name: '(touch /tmp/pwned)' }, /directly follows a "\$"/);
  refuses('cat <<EOF\n$<name>\nEOF', { name: '(touch /tmp/pwned)' }, /directly follows a "\$"/);
  assert.equal(substitutePlaceholders('echo "$<name>" \\$<name>', { name: '(x)' }), `echo "$"'(x)'"" \\$'(x)'`);
  refuses('echo $((<n>))', { n: 'a[$(touch /tmp/pwned)]' }, /integer/);
  assert.deepEqual(missingPlaceholderValues('deploy <function_name> <x> # <comment>', { x: '1' }), ['function_name']);
});

test('every hostile value stays one word in every context (structure unchanged)', () => {
  const contexts = [
    'echo <name>',
    "echo '<name>'",
    'echo "<name>"',
    'echo "a<name>b"',
    'echo "$(printf %s <name>)"',
    'echo `printf %s <name>`',
    "echo $'<name>'",
    'FOO=<name> env',
  ];
  for (const value of HOSTILE_VALUES) {
    for (const context of contexts) {
      const out = substitutePlaceholders(context, { name: value });
      const words = tokenizeShell(out).tokens.filter((t) => t.kind !== 'comment');
      assert.equal(
        words.length,
        tokenizeShell(context).tokens.length,
        `${context} with ${JSON.stringify(value).slice(0, 40)}`,
      );
      assert.ok(!out.includes('<name>'));
    }
  }
});

test('secret placeholders: by name; the variable that carries the value; any non-blank value', () => {
  for (const name of [
    'new_key',
    'service_role_key',
    'anon_key',
    'key',
    'access_token',
    'db_password',
    'webhook_secret',
    'apikey',
    'API_KEY',
    'new-key',
  ]) {
    assert.ok(isSecretPlaceholder(name), name);
    assert.equal(placeholderKind(name, 'supabase secrets set X=<name>'), 'secret', name);
  }
  for (const name of [
    'function_name',
    'migration_name',
    'name',
    'keyword',
    'monkey',
    'key_name',
    'project_ref',
    'org_id',
  ])
    assert.ok(!isSecretPlaceholder(name), name);
  // Connection strings carry a password; short names of passwords, tokens and keys are secrets too.
  for (const name of [
    'db_url',
    'database_url',
    'DATABASE_URL',
    'dbUrl',
    'postgres_url',
    'connection_string',
    'conn_str',
    'dsn',
    'pg_dsn',
    'pass',
    'db_pass',
    'pw',
    'pwd',
    'admin-pw',
    'jwt',
    'user_jwt',
    'service_role',
    'service_role_key',
    'passphrase',
    'gpg_passphrase',
    'credential',
    'credentials',
    'aws_credentials',
    'private_key',
    'privateKey',
  ]) {
    assert.ok(isSecretPlaceholder(name), name);
    assert.equal(placeholderKind(name), 'secret', name);
  }
  for (const name of ['passenger_id', 'compass', 'url', 'api_url', 'database_name', 'swpw_count', 'role'])
    assert.ok(!isSecretPlaceholder(name), name);
  assert.equal(secretVariableName('new_key'), 'RUNBOOK_SECRET_NEW_KEY');
  assert.equal(secretVariableName('new-api.key'), 'RUNBOOK_SECRET_NEW_API_KEY');
  assert.deepEqual(validatePlaceholderValue('new_key', 'sb_secret_\'$(x)"'), { ok: true });
  assert.equal(validatePlaceholderValue('new_key', '   ').ok, false);
  assert.equal(validatePlaceholderValue('new_key', 'a\nb').ok, false);
});

test('<name> used as a function in `supabase functions logs <name> --tail` gets the function suggestions and checks', () => {
  const command = 'supabase functions logs <name> --tail';
  const kind = placeholderKind('name', command);
  assert.equal(kind, 'function');
  assert.deepEqual(placeholderSuggestions('name', { functionNames: ['health', 'generate-content'], kind }), [
    'health',
    'generate-content',
  ]);
  assert.deepEqual(
    placeholderSuggestions('name', { functionNames: ['health'] }),
    [],
    'without the kind, <name> is generic',
  );
  assert.equal(validatePlaceholderValue('name', 'bad name', { kind }).ok, false);
  assert.equal(placeholderKind('name', 'supabase migration new <name>'), 'migration');
  assert.equal(validatePlaceholderValue('name', 'Add Orders', { kind: 'migration' }).ok, false);
});
