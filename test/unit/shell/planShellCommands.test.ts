// The whole preparation of runbook commands, in its order: substitute → target → rewrite URLs → choose the binary →
// judge the risk and the real target. Each step sees what the previous one produced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planShellCommands } from '../../../src/core/shell/planShellCommands';
import { previewCommandTargets, previewTargets, type PlanContext } from '../../../src/core/shell/commandTargetsPreview';
import { splitShellSnippet } from '../../../src/core/bash/splitShellSnippet';
import type { LinkedProject } from '../../../src/core/projects/linkedProject';

const BIN = '/work/app/node_modules/.bin/supabase';
const LOCAL: LinkedProject = {
  name: 'local',
  apiUrl: 'http://127.0.0.1:54321',
  db: { host: '127.0.0.1', port: 54322, database: 'postgres', user: 'postgres', sslmode: 'disable' },
  production: false,
  isLocal: true,
  source: 'local stack',
};
const PROD: LinkedProject = {
  name: 'production',
  ref: 'trxmsoyjjoopnvzohmvi',
  apiUrl: 'https://trxmsoyjjoopnvzohmvi.supabase.co',
  production: true,
  isLocal: false,
  source: 'settings',
};
const LINKED: LinkedProject = {
  name: 'linked',
  ref: 'linkedlinkedlinkedli',
  apiUrl: 'https://linkedlinkedlinkedli.supabase.co',
  production: true,
  isLocal: false,
  source: 'supabase link',
};
const STAGING: LinkedProject = {
  name: 'staging',
  ref: 'stagingstagingstagin',
  apiUrl: 'https://stagingstagingstagin.supabase.co',
  production: false,
  isLocal: false,
  source: 'settings',
};

const ctx = (project: LinkedProject, extra: Partial<PlanContext> = {}): PlanContext => ({
  project,
  projects: [LOCAL, STAGING, PROD, LINKED],
  linkedRef: LINKED.ref,
  supabase: { workspaceBin: BIN, onPath: false },
  cliMajorVersion: 3,
  ...extra,
});
const commandsOf = (body: string) => splitShellSnippet(body, 10).commands;

test('each step sees the previous one: the value is quoted, then targeted, the URL pointed, the binary swapped, the risk judged', () => {
  const plan = planShellCommands(
    commandsOf(
      'supabase functions deploy <function_name>\ncurl -X POST https://trxmsoyjjoopnvzohmvi.supabase.co/functions/v1/<function_name>',
    ),
    { function_name: 'health' },
    ctx(STAGING),
  );
  assert.deepEqual(plan.problems, []);
  assert.deepEqual(
    plan.commands.map((c) => c.text),
    [
      `${BIN} functions deploy 'health' --remote=stagingstagingstagin`,
      "curl -X POST https://stagingstagingstagin.supabase.co/functions/v1/'health'",
    ],
  );
  assert.deepEqual(
    plan.commands.map((c) => [c.line, c.risky, c.targets.map((t) => `${t.kind}:${t.name}`)]),
    [
      [10, true, ['active:staging']],
      [11, true, ['active:staging']],
    ],
  );
  assert.match(plan.commands[0].reasons[0], /deploys Edge Functions/);
  assert.ok(plan.notices.some((n) => /added --remote=stagingstagingstagin/.test(n)));
  assert.ok(
    plan.notices.some(
      (n) => n === 'https://trxmsoyjjoopnvzohmvi.supabase.co → https://stagingstagingstagin.supabase.co',
    ),
  );
});

test('with local active, a hosted-only command is left as written and reaches the linked project (production)', () => {
  const plan = planShellCommands(commandsOf('supabase functions deploy generate-content'), {}, ctx(LOCAL));
  const [command] = plan.commands;
  assert.equal(command.text, `${BIN} functions deploy generate-content`);
  assert.deepEqual(
    command.targets.map((t) => [t.kind, t.name, t.ref, t.production, t.confirmText]),
    [['linked', 'linked', LINKED.ref, true, LINKED.ref]],
  );
  assert.ok(plan.notes.some((n) => /works on hosted projects only/.test(n)));
  // What the lens shows before anything is asked for.
  assert.deepEqual(
    previewTargets('supabase functions deploy <function_name>', ctx(LOCAL)).map((t) => t.name),
    ['linked'],
  );
});

test('the CLI version decides the flag: --remote=<ref> for 3, --project-ref for 2', () => {
  assert.equal(
    planShellCommands(commandsOf('supabase functions list'), {}, ctx(PROD)).commands[0].text,
    `${BIN} functions list --remote=trxmsoyjjoopnvzohmvi`,
  );
  assert.equal(
    planShellCommands(commandsOf('supabase functions list'), {}, ctx(PROD, { cliMajorVersion: 2 })).commands[0].text,
    `${BIN} functions list --project-ref trxmsoyjjoopnvzohmvi`,
  );
  assert.equal(
    planShellCommands(commandsOf('supabase db push'), {}, ctx(LOCAL, { cliMajorVersion: 2 })).commands[0].text,
    `${BIN} db push --local`,
  );
});

test('a secret placeholder becomes a variable reference; its value never enters the command', () => {
  const plan = planShellCommands(
    commandsOf("supabase secrets set SERVICE_KEY=<new_key>\necho '<new_key>' | wc -c"),
    {},
    ctx(STAGING),
    { new_key: 'RUNBOOK_SECRET_NEW_KEY' },
  );
  assert.deepEqual(
    plan.commands.map((c) => c.text),
    [
      `${BIN} secrets set SERVICE_KEY="\${RUNBOOK_SECRET_NEW_KEY}" --remote=stagingstagingstagin`,
      `echo ''"\${RUNBOOK_SECRET_NEW_KEY}"'' | wc -c`,
    ],
  );
});

test('unfinished commands, missing values and bad values are refused with their line; nothing is planned for them', () => {
  const plan = planShellCommands(commandsOf("echo ok\necho 'never closed\nmore"), {}, ctx(LOCAL));
  assert.deepEqual(
    plan.commands.map((c) => c.text),
    ['echo ok'],
  );
  assert.equal(plan.problems.length, 1);
  assert.match(plan.problems[0], /^Line 13: the command is not finished \(a single quote \('\) is never closed\)/);
  assert.match(
    planShellCommands(commandsOf('echo <name>'), {}, ctx(LOCAL)).problems[0],
    /^Line 11: No value was given for <name>/,
  );
  assert.match(
    planShellCommands(
      commandsOf('curl https://trxmsoyjjoopnvzohmvi.supabase.co'),
      {},
      ctx({ ...LOCAL, apiUrl: 'ftp://x' }),
    ).problems[0],
    /http or https/,
  );
});

test('stale subcommands, long-running commands and un-targetable nested calls are named', () => {
  const plan = planShellCommands(
    commandsOf(
      'supabase functions logs generate-content --tail\ntail -f app.log\nsupabase start\necho "$(supabase status -o env)"',
    ),
    {},
    ctx(LOCAL),
  );
  assert.match(plan.commands[0].stale[0], /not a command of Supabase CLI 3\.1/);
  assert.deepEqual(
    plan.commands.map((c) => [c.longRunning, c.untilStopped]),
    [
      [true, true],
      [true, true],
      [true, false],
      [false, false],
    ],
  );
  assert.equal(plan.warnings.length, 1);
  assert.match(plan.warnings[0], /^Line 14: `supabase status` runs inside \$\(…\)/);
});

test('a redirect to a file makes the command risky, and the reason names the file', () => {
  const plan = planShellCommands(
    commandsOf('supabase gen types typescript --linked > src/integrations/supabase/types.ts'),
    {},
    ctx(LOCAL),
  );
  assert.equal(plan.commands[0].risky, true);
  assert.deepEqual(plan.commands[0].reasons, [
    'Overwrites src/integrations/supabase/types.ts: the shell empties it before the command runs, even if the command then fails.',
  ]);
  assert.equal(plan.commands[0].targets[0].name, 'linked');
});

test('each planned command says which secrets its terminal needs; interactive psql says where it connects', () => {
  const FIXTURE: LinkedProject = {
    name: 'fixture',
    db: { host: '127.0.0.1', port: 6543, database: 'app', user: 'app', sslmode: 'disable' },
    production: false,
    isLocal: true,
    source: 'settings',
  };
  const plan = planShellCommands(
    commandsOf(
      'echo hi\nsupabase migration list\nsupabase functions list\npsql\npsql -h other.example.com -c "select 1"',
    ),
    {},
    ctx(FIXTURE, { databaseUrl: 'postgresql://app@127.0.0.1:6543/app?sslmode=disable' }),
  );
  assert.deepEqual(
    plan.commands.map((c) => [
      c.credentials.database,
      c.credentials.managementApi,
      c.credentials.otherDatabases.length,
    ]),
    [
      [false, false, 0],
      [true, false, 0],
      [false, true, 0],
      [true, false, 0],
      [false, false, 1],
    ],
  );
  assert.ok(
    plan.notices.includes(
      'psql opens an interactive session on fixture (app@127.0.0.1:6543/app): what you type there runs there.',
    ),
    plan.notices.join('\n'),
  );
});

test('the lens preview is kept per command while nothing it depends on changes', () => {
  const commands = commandsOf('supabase functions deploy x\nsupabase db push\necho "unfinished');
  const first = previewCommandTargets(commands, ctx(LOCAL));
  assert.deepEqual(
    first.map((targets) => targets.map((t) => t.name)),
    [['linked'], ['local'], []],
  );
  assert.deepEqual(
    first.slice(0, 2),
    commands.slice(0, 2).map((c) => previewTargets(c.text, ctx(LOCAL))),
  );
  const again = previewCommandTargets(commands, ctx(LOCAL));
  assert.equal(again[0], first[0], 'the same answer object: nothing was worked out again');
  // Every input counts: the linked ref, the CLI version, the selected project, a project's settings.
  assert.deepEqual(
    previewCommandTargets(commands, ctx(LOCAL, { linkedRef: STAGING.ref }))[0].map((t) => t.name),
    ['staging'],
  );
  assert.deepEqual(
    previewCommandTargets(commands, ctx(PROD))[1].map((t) => t.name),
    ['production'],
  );
  assert.deepEqual(
    previewCommandTargets(commands, ctx(PROD, { cliMajorVersion: 2 }))[1].map((t) => t.name),
    ['linked'],
  );
  assert.deepEqual(
    previewCommandTargets(commands, ctx(STAGING))[1].map((t) => t.name),
    ['staging'],
  );
  const notProduction = { ...LINKED, production: false };
  assert.deepEqual(
    previewCommandTargets(commands, ctx(LOCAL, { projects: [LOCAL, STAGING, PROD, notProduction] }))[0].map(
      (t) => t.production,
    ),
    [false],
  );
  assert.deepEqual(
    previewCommandTargets(commands, ctx(LOCAL))[0].map((t) => t.production),
    [true],
  );
});
