// Shell fences cut into runnable commands, comments and prose steps, including every bash block of the seed runbook.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitShellSnippet } from '../../../src/core/bash/splitShellSnippet';
import { isConsoleLanguage, isRunnableShellLanguage } from '../../../src/core/bash/shellLanguages';
import { readSeed, SEED_MISSING } from '../../helpers/seed';

const texts = (body: string, language?: string): string[] =>
  splitShellSnippet(body, 0, language).commands.map((c) => c.text);

test('CodeLens languages: bash, sh, shell, zsh and console fences run; others do not', () => {
  for (const l of ['bash', 'sh', 'shell', 'zsh', 'console', 'Bash', 'shell-session'])
    assert.ok(isRunnableShellLanguage(l), l);
  for (const l of ['sql', 'json', 'typescript', '', 'text', 'powershell']) assert.ok(!isRunnableShellLanguage(l), l);
  assert.ok(isConsoleLanguage('console'));
  assert.ok(!isConsoleLanguage('bash'));
});

test('comments and blank lines are left out; each command keeps its document lines', () => {
  const r = splitShellSnippet('# Build\n\nnpm run build\n\n# Deploy\nsupabase functions deploy  # all of them\n', 100);
  assert.deepEqual(
    r.commands.map((c) => [c.text, c.line, c.endLine, c.program]),
    [
      ['npm run build', 102, 102, 'npm'],
      ['supabase functions deploy', 105, 105, 'supabase'],
    ],
  );
  assert.deepEqual(r.comments, [
    { text: 'Build', line: 100 },
    { text: 'Deploy', line: 104 },
  ]);
  assert.deepEqual(r.proseSteps, []);
});

test('backslash continuations join into one command with start and end lines', () => {
  const r = splitShellSnippet('supabase functions deploy \\\n  <function_name> \\\n  --no-verify-jwt\necho done', 10);
  assert.equal(r.commands.length, 2);
  assert.equal(r.commands[0].text, 'supabase functions deploy \\\n  <function_name> \\\n  --no-verify-jwt');
  assert.equal(r.commands[0].line, 10);
  assert.equal(r.commands[0].endLine, 12);
  assert.deepEqual(r.commands[0].placeholders, [{ name: 'function_name', line: 11, column: 2 }]);
  assert.deepEqual([r.commands[1].text, r.commands[1].line], ['echo done', 13]);
});

test('here-docs, open quotes, trailing && and compound commands stay one command', () => {
  const body = [
    'psql "$DB_URL" <<SQL',
    '# not a comment: here-doc text',
    'select 1;',
    'SQL',
    'cat <<-EOF | tee out.txt',
    '\tindented',
    '\tEOF',
    'echo "two',
    'lines" &&',
    '  echo next',
    'for f in a b; do',
    '  echo "$f"',
    'done',
    'if git diff --quiet; then',
    '  git push',
    'fi',
    'echo $(date',
    '  +%s)',
  ].join('\n');
  const r = splitShellSnippet(body, 0);
  assert.deepEqual(
    r.commands.map((c) => [c.line, c.endLine, c.program]),
    [
      [0, 3, 'psql'],
      [4, 6, 'cat'],
      [7, 9, 'echo'],
      [10, 12, 'echo'],
      [13, 15, 'git'],
      [16, 17, 'echo'],
    ],
  );
  assert.equal(r.commands[0].text, 'psql "$DB_URL" <<SQL\n# not a comment: here-doc text\nselect 1;\nSQL');
  assert.deepEqual(r.comments, []);
});

test('an unterminated quote or here-doc gives one command marked incomplete', () => {
  const quote = splitShellSnippet("echo 'never closed\nsupabase db push", 0);
  assert.equal(quote.commands.length, 1);
  assert.equal(quote.commands[0].incomplete, 'single-quote');
  assert.equal(quote.commands[0].endLine, 1);
  const heredoc = splitShellSnippet('cat <<EOF\nbody', 0);
  assert.equal(heredoc.commands[0].incomplete, 'here-doc');
  assert.equal(splitShellSnippet('npm run build', 0).commands[0].incomplete, undefined);
});

test('console fences run only prompted lines, strip "$ " and "> ", and ignore output', () => {
  const body = [
    '$ supabase functions list',
    'NAME              STATUS',
    'generate-content  ACTIVE',
    '$ echo "a',
    '> b"',
    'a',
    'b',
    '  $ git status   ',
    'On branch main',
    '$ # a comment after a prompt',
    '$',
    '$ supabase functions deploy \\',
    '>   <function_name>',
  ].join('\n');
  const r = splitShellSnippet(body, 20, 'console');
  assert.deepEqual(
    r.commands.map((c) => [c.text, c.line, c.endLine]),
    [
      ['supabase functions list', 20, 20],
      ['echo "a\nb"', 23, 24],
      ['git status', 27, 27],
      ['supabase functions deploy \\\n  <function_name>', 31, 32],
    ],
  );
  assert.deepEqual(r.commands[3].placeholders, [{ name: 'function_name', line: 32, column: 4 }]);
  assert.deepEqual(
    r.comments.map((c) => c.text),
    ['a comment after a prompt'],
  );
  assert.deepEqual(r.proseSteps, []);
});

test('numbered prose in a bash fence is a checklist, never a command', () => {
  const r = splitShellSnippet(
    '1. Immediately revoke compromised secret\n2) Generate new secret\n10. Redeploy **all** functions',
    5,
  );
  assert.deepEqual(r.commands, []);
  assert.deepEqual(r.proseSteps, [
    { text: 'Immediately revoke compromised secret', line: 5, endLine: 5, ordinal: 1 },
    { text: 'Generate new secret', line: 6, endLine: 6, ordinal: 2 },
    { text: 'Redeploy all functions', line: 7, endLine: 7, ordinal: 10 },
  ]);
});

test('plain English next to numbered steps is prose; indented sentences continue a step', () => {
  const body = [
    '1. Rotate the key in the dashboard',
    '   and copy the new value',
    'Then notify the security team.',
    '- [ ] File the incident report',
    'supabase secrets set OPENAI_API_KEY=<new_key>',
    'Check the logs afterwards',
  ].join('\n');
  const r = splitShellSnippet(body, 0);
  assert.deepEqual(
    r.proseSteps.map((s) => [s.text, s.line, s.endLine]),
    [
      ['Rotate the key in the dashboard and copy the new value', 0, 1],
      ['Then notify the security team.', 2, 2],
      ['File the incident report', 3, 3],
    ],
  );
  // After a command the prose run is over: an English-looking line is a command again (and would fail loudly).
  assert.deepEqual(
    r.commands.map((c) => c.text),
    ['supabase secrets set OPENAI_API_KEY=<new_key>', 'Check the logs afterwards'],
  );
});

test('lines with shell syntax or a known program are never taken for prose', () => {
  const body =
    '1. Revoke the secret\ngit push origin main\n2. Verify\necho "Done with the rotation"\n3. Audit\ncd /tmp && ls\n4. Notify\nsupabase functions list';
  const r = splitShellSnippet(body, 0);
  assert.deepEqual(
    r.commands.map((c) => c.program),
    ['git', 'echo', 'cd', 'supabase'],
  );
  assert.equal(r.proseSteps.length, 4);
});

test('# Via Lovable style lines are comments, and numbered comments stay comments', () => {
  const r = splitShellSnippet(
    '# Via Lovable\n# 1. Open project history\n# 2. Select previous working version\n\n# Via GitHub\ngit revert HEAD\ngit push origin main',
    0,
  );
  assert.deepEqual(
    r.comments.map((c) => c.text),
    ['Via Lovable', '1. Open project history', '2. Select previous working version', 'Via GitHub'],
  );
  assert.deepEqual(texts('# Via GitHub\ngit revert HEAD\ngit push origin main'), [
    'git revert HEAD',
    'git push origin main',
  ]);
  assert.equal(r.proseSteps.length, 0);
});

test('program is the first word after assignments and reserved words', () => {
  const programs = (body: string): string[] => splitShellSnippet(body, 0).commands.map((c) => c.program);
  assert.deepEqual(
    programs('PGPASSWORD=x psql -c "select 1"\nsudo rm -rf /tmp/x\n! grep -q x file\n(cd supabase && ls)\n{ echo a; }'),
    ['psql', 'sudo', 'grep', 'cd', 'echo'],
  );
});

test('placeholders in comments are not asked for; CRLF bodies split cleanly', () => {
  const r = splitShellSnippet('supabase functions deploy <function_name> # or <other>\r\necho ok\r\n', 0);
  assert.deepEqual(
    r.commands.map((c) => c.text),
    ['supabase functions deploy <function_name>', 'echo ok'],
  );
  assert.deepEqual(
    r.commands[0].placeholders.map((p) => p.name),
    ['function_name'],
  );
});

// The seed's shell fences, found without the markdown parser so that this file bundles without dependencies
// (the model's own tests cover fence parsing). Keyed by the heading above each fence.
interface Fence {
  heading: string;
  language: string;
  body: string;
  bodyStartLine: number;
}
function shellFences(markdown: string): Fence[] {
  const lines = markdown.split(/\r?\n/);
  const fences: Fence[] = [];
  let heading = '';
  for (let i = 0; i < lines.length; i++) {
    const h = /^#{1,6}\s+(.*)$/.exec(lines[i]);
    if (h) {
      heading = h[1].trim();
      continue;
    }
    const open = /^```(\w*)/.exec(lines[i]);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    if (isRunnableShellLanguage(open[1]))
      fences.push({ heading, language: open[1], body: lines.slice(i + 1, end).join('\n'), bodyStartLine: i + 1 });
    i = end;
  }
  return fences;
}

const seed = readSeed();
const seedFences = seed ? shellFences(seed) : undefined;

test('seed: every bash block splits into the commands an operator would type', (t) => {
  if (!seedFences) return t.skip(SEED_MISSING);
  const split = Object.fromEntries(
    seedFences.map((f) => [f.heading, splitShellSnippet(f.body, f.bodyStartLine, f.language)]),
  );
  const commands = (id: string): [string, number, string][] =>
    split[id].commands.map((c) => [c.text, c.line + 1, c.program]);
  assert.deepEqual(Object.keys(split), [
    'Frontend Deployment',
    'Edge Functions Deployment',
    'Database Migrations',
    'Playbook: Edge Function Failures',
    'Frontend Rollback',
    'Edge Function Rollback',
    'Emergency Secret Rotation',
    'Useful Supabase CLI Commands',
  ]);
  assert.deepEqual(commands('Frontend Deployment'), [['npm run build', 57, 'npm']]);
  assert.deepEqual(
    split['Frontend Deployment'].comments.map((c) => c.text),
    [
      'Build production bundle',
      'Preview deployment (Lovable)',
      'Automatic via Lovable platform',
      'Production deployment',
      'Automatic via GitHub Actions on main branch merge',
    ],
  );
  assert.deepEqual(commands('Edge Functions Deployment'), [
    ['supabase functions deploy', 69, 'supabase'],
    ['supabase functions deploy generate-content', 72, 'supabase'],
    ['curl -X POST https://trxmsoyjjoopnvzohmvi.supabase.co/functions/v1/health', 75, 'curl'],
  ]);
  assert.deepEqual(commands('Database Migrations'), [
    ['supabase migration new <migration_name>', 81, 'supabase'],
    ['supabase db push --linked', 84, 'supabase'],
  ]);
  assert.deepEqual(split['Database Migrations'].commands[0].placeholders, [
    { name: 'migration_name', line: 80, column: 23 },
  ]);
  assert.deepEqual(commands('Playbook: Edge Function Failures'), [
    ['supabase functions logs generate-content --tail', 275, 'supabase'],
    ['curl https://trxmsoyjjoopnvzohmvi.supabase.co/functions/v1/health', 278, 'curl'],
  ]);
  assert.deepEqual(commands('Frontend Rollback'), [
    ['git revert HEAD', 376, 'git'],
    ['git push origin main', 377, 'git'],
  ]);
  assert.equal(split['Frontend Rollback'].comments.length, 5);
  assert.deepEqual(commands('Edge Function Rollback'), [
    ['supabase functions deploy <function_name> --legacy-bundle', 384, 'supabase'],
    ['git checkout HEAD~1 -- supabase/functions/<function_name>', 387, 'git'],
    ['supabase functions deploy <function_name>', 388, 'supabase'],
  ]);
  assert.deepEqual(commands('Useful Supabase CLI Commands'), [
    ['supabase functions list', 569, 'supabase'],
    ['supabase functions logs <name> --tail', 572, 'supabase'],
    ['supabase db remote status', 575, 'supabase'],
    ['supabase gen types typescript --linked > src/integrations/supabase/types.ts', 578, 'supabase'],
  ]);
  for (const [id, r] of Object.entries(split)) {
    for (const c of r.commands) assert.equal(c.incomplete, undefined, `${id}: ${c.text}`);
    if (id !== 'Emergency Secret Rotation') assert.equal(r.proseSteps.length, 0, id);
  }
});

test('seed: the emergency secret rotation block gives 6 prose steps and 0 commands', (t) => {
  if (!seedFences) return t.skip(SEED_MISSING);
  const block = seedFences.find((f) => f.heading === 'Emergency Secret Rotation');
  assert.ok(block);
  const r = splitShellSnippet(block.body, block.bodyStartLine, block.language);
  assert.equal(r.commands.length, 0);
  assert.equal(r.proseSteps.length, 6);
  assert.deepEqual(
    r.proseSteps.map((s) => [s.ordinal, s.text, s.line + 1]),
    [
      [1, 'Immediately revoke compromised secret', 502],
      [2, 'Generate new secret', 503],
      [3, 'Update via Lovable Cloud Secrets UI', 504],
      [4, 'Redeploy affected edge functions', 505],
      [5, 'Audit logs for unauthorized access', 506],
      [6, 'File security incident report', 507],
    ],
  );
  assert.deepEqual(r.comments, [{ text: 'If secret is compromised:', line: 500 }]);
});

test('"$ " prompts in bash, sh and shell fences are stripped, and the lines after them are output', () => {
  for (const language of ['bash', 'sh', 'shell']) {
    const r = splitShellSnippet(
      '# check the CLI\n$ supabase --version\n3.1.0\n$ supabase status\nAPI URL: http://127.0.0.1:54321',
      20,
      language,
    );
    assert.deepEqual(
      r.commands.map((c) => [c.text, c.line]),
      [
        ['supabase --version', 21],
        ['supabase status', 23],
      ],
      language,
    );
    assert.equal(r.transcript, true);
  }
  const script = splitShellSnippet('supabase --version\necho 3.1.0', 0, 'bash');
  assert.equal(script.transcript, false);
  assert.deepEqual(
    script.commands.map((c) => c.text),
    ['supabase --version', 'echo 3.1.0'],
  );
});

test('"% " prompts count in zsh and console fences; a console fence without prompts is output only', () => {
  assert.deepEqual(texts('% echo zsh\nzsh\n% ls', 'zsh'), ['echo zsh', 'ls']);
  assert.deepEqual(texts('% supabase status\nrunning', 'console'), ['supabase status']);
  const outputOnly = splitShellSnippet(
    'API URL: http://127.0.0.1:54321\nDB URL: postgresql://postgres@127.0.0.1:54322/postgres',
    0,
    'console',
  );
  assert.deepEqual([outputOnly.commands, outputOnly.proseSteps, outputOnly.transcript], [[], [], true]);
});

test('a numbered line that is really a command is kept as a step, with the command it holds', () => {
  const r = splitShellSnippet(
    '1. supabase db push\n2. Tell the team in #incidents\n3. git revert HEAD\n4. test the backup restore\n5. supabase functions deploy <function_name>',
    0,
  );
  assert.deepEqual(r.commands, []);
  assert.deepEqual(
    r.proseSteps.map((s) => [s.ordinal, s.command]),
    [
      [1, 'supabase db push'],
      [2, undefined],
      [3, 'git revert HEAD'],
      [4, undefined],
      [5, 'supabase functions deploy <function_name>'],
    ],
  );
});
