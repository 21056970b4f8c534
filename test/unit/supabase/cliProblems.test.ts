// findCliProblems: what a runbook's shell snippets ask of the Supabase CLI that CLI 3.1 will not do, on the seed
// runbook and on snippets written to hit every rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunbook } from '../../../src/core/model/parseRunbook';
import { findCliProblems, snippetCliProblems } from '../../../src/core/supabase/cliProblems';
import { splitOfSnippet } from '../../../src/core/bash/splitShellSnippet';
import { staleSupabaseCommands } from '../../../src/core/supabase/staleCommands';
import { targetProject } from '../../../src/core/supabase/targetProject';
import { readSeed, SEED_MISSING } from '../../helpers/seed';

const fence = (language: string, body: string) => `\`\`\`${language}\n${body}\n\`\`\``;
const problemsOf = (markdown: string) => findCliProblems(parseRunbook(`# Runbook\n\n## Section\n\n${markdown}\n`));
// The body of the first fence starts on document line 5 (0-based).
const BODY = 5;

test('the seed runbook: functions logs and db remote status are not commands; --legacy-bundle is misread; --linked for staging', (t) => {
  const seed = readSeed();
  if (!seed) return t.skip(SEED_MISSING);
  const problems = findCliProblems(parseRunbook(seed));
  const lines = seed.split('\n');
  const at = (code: string) => problems.filter((p) => p.code === code).map((p) => lines[p.line].trim());
  assert.deepEqual(at('cli-unknown-command'), [
    'supabase functions logs generate-content --tail',
    'supabase functions logs <name> --tail',
    'supabase db remote status',
  ]);
  assert.deepEqual(at('cli-hidden-flag'), ['supabase functions deploy <function_name> --legacy-bundle']);
  assert.deepEqual(at('cli-linked-target'), ['supabase db push --linked']);
  assert.deepEqual(at('cli-deprecated-flag'), [
    'supabase db push --linked',
    'supabase gen types typescript --linked > src/integrations/supabase/types.ts',
  ]);
  const legacy = problems.find((p) => p.code === 'cli-hidden-flag')!;
  assert.equal(legacy.severity, 'warning');
  assert.match(
    legacy.message,
    /"Use legacy bundling".*does not do what the comment "Deploy previous version" suggests/,
  );
  const logs = problems.find((p) => p.code === 'cli-unknown-command')!;
  assert.equal(logs.severity, 'error');
  assert.match(logs.message, /supabase logs --remote --service functions/);
  assert.match(
    problems.find((p) => /db remote status/.test(lines[p.line]))!.message,
    /supabase migration list --remote/,
  );
  assert.match(
    problems.find((p) => p.code === 'cli-linked-target')!.message,
    /whatever the comment "Apply migration \(staging\)" says/,
  );
  // Every problem points at a line of a shell fence, in document order.
  assert.deepEqual(
    problems.map((p) => p.line),
    [...problems.map((p) => p.line)].sort((a, b) => a - b),
  );
});

test('each problem has its 0-based line, severity, code and snippet', () => {
  const problems = problemsOf(fence('bash', '# Tail the logs\nsupabase functions logs x --tail'));
  assert.deepEqual(
    problems.map(({ line, severity, code, snippetIndex }) => ({ line, severity, code, snippetIndex })),
    [{ line: BODY + 1, severity: 'error', code: 'cli-unknown-command', snippetIndex: 0 }],
  );
});

test('unknown flags of a known command, and --linked where the CLI rejects it', () => {
  const problems = problemsOf(
    fence(
      'bash',
      'supabase functions deploy x --tail\nsupabase secrets list --linked\nsupabase db push --include-all --dry-run',
    ),
  );
  assert.deepEqual(
    problems.map((p) => [p.line - BODY, p.code]),
    [
      [0, 'cli-unknown-flag'],
      [1, 'cli-unknown-flag'],
    ],
  );
  assert.match(problems[0].message, /`--tail` is not a flag of `supabase functions deploy` in Supabase CLI 3\.1/);
  assert.match(problems[1].message, /It uses the linked project without any flag/);
});

test('a hidden flag is only a warning when the comment reads it as something else', () => {
  assert.deepEqual(
    problemsOf(fence('bash', '# Roll back to the previous version\nsupabase functions deploy x --legacy-bundle')).map(
      (p) => [p.code, p.severity],
    ),
    [['cli-hidden-flag', 'warning']],
  );
  assert.deepEqual(
    problemsOf(fence('bash', '# Bundle with the old bundler\nsupabase functions deploy x --legacy-bundle')).map((p) => [
      p.code,
      p.severity,
    ]),
    [['cli-hidden-flag', 'info']],
  );
});

test('--linked matters when the comment names an environment or the command writes; a dry run is fine', () => {
  const codes = (body: string) => problemsOf(fence('bash', body)).map((p) => p.code);
  assert.ok(codes('# Apply to production\nsupabase migration list --linked').includes('cli-linked-target'));
  assert.ok(codes('supabase migration up --linked').includes('cli-linked-target'));
  assert.ok(!codes('supabase db push --linked --dry-run').includes('cli-linked-target'));
  assert.ok(!codes('supabase inspect db locks --linked').includes('cli-linked-target'));
  assert.deepEqual(codes('supabase inspect db locks --linked'), ['cli-deprecated-flag']);
  assert.deepEqual(codes('supabase db push --local'), ['cli-deprecated-flag']);
});

test('numbered commands, unfinished commands and supabase inside $(…) are flagged; console fences are read too', () => {
  const problems = problemsOf(
    [
      fence('bash', '1. supabase db push\n2. Tell the team'),
      fence('sh', "echo 'never closed"),
      fence('console', '$ echo "$(supabase functions logs x)"\noutput line'),
    ].join('\n\n'),
  );
  assert.deepEqual(
    problems.map((p) => [p.code, p.severity, p.snippetIndex]),
    [
      ['shell-numbered-command', 'warning', 0],
      ['shell-unfinished-command', 'error', 1],
      ['cli-nested-call', 'warning', 2],
      ['cli-unknown-command', 'error', 2],
    ],
  );
  assert.match(
    problems[0].message,
    /`supabase db push` is written as a list item \(step 1\), so Run in Terminal leaves it out/,
  );
  assert.match(problems[1].message, /a single quote \('\) is never closed/);
});

test('snippets that are not shell, and correct commands, give nothing', () => {
  assert.deepEqual(
    problemsOf(
      [
        fence('sql', 'select 1;'),
        fence(
          'bash',
          'supabase functions deploy x --remote=abcdefghijklmnopqrst --use-api\nsupabase db push --dry-run\nsupabase migration new add_x',
        ),
      ].join('\n\n'),
    ),
    [],
  );
});

test('a snippet is split and checked once per parse: the lenses, the tree and the Problems panel share the result', () => {
  const markdown = `# Runbook\n\n## Section\n\n${fence('bash', '# Tail the logs\nsupabase functions logs x --tail')}\n`;
  const runbook = parseRunbook(markdown);
  const snippet = runbook.snippets[0];
  assert.equal(splitOfSnippet(snippet), splitOfSnippet(snippet), 'the same split object for the same Snippet');
  assert.equal(snippetCliProblems(snippet), snippetCliProblems(snippet), 'the same problems for the same Snippet');
  assert.deepEqual(findCliProblems(runbook), [...snippetCliProblems(snippet)]);
  // A new parse (the document changed) gives new Snippet objects, so nothing stale is served.
  const edited = parseRunbook(markdown.replace('functions logs x --tail', 'db push'));
  assert.notEqual(splitOfSnippet(edited.snippets[0]), splitOfSnippet(snippet));
  assert.deepEqual(snippetCliProblems(edited.snippets[0]), []);
});

test('a stale supabase command two $(…) levels deep is found, as the run finds it', () => {
  const body = 'echo "$(cat "$(supabase functions logs x)")"';
  const problems = problemsOf(fence('bash', body));
  assert.deepEqual(
    problems.map((p) => [p.code, p.severity, p.line]),
    [
      ['cli-nested-call', 'warning', BODY],
      ['cli-unknown-command', 'error', BODY],
    ],
  );
  assert.match(problems[0].message, /`supabase functions logs x` inside \$\(…\)/);
  assert.match(problems[1].message, /`supabase functions logs` is not a command of Supabase CLI 3\.1/);
  // The run reads the same command the same way: it warns and lists the stale command.
  assert.equal(staleSupabaseCommands(body).length, 1);
  assert.equal(targetProject(body, { name: 'prod', ref: 'abcdefghijklmnopqrst', isLocal: false }).warnings.length, 1);
});
