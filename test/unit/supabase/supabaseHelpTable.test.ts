// The command table in src/core/shell/supabaseCommandTable.ts against the real Supabase CLI binary the project pins:
// its version, every subcommand and its [local only] / [remote only] / [local or remote] tag, the flags of the
// commands the table records flags for, and the hidden flags and removed commands the table claims.
// The binary starts in about 0.7 s and the tree takes some 60 `--help` calls, so the help texts are kept in the
// temp directory under a key made of the binary's path, size, time and version: the same binary gives the same
// help, a new binary is asked again, and edits of the table are always compared against the real help.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  GLOBAL_FLAGS,
  GONE_COMMANDS,
  SUPABASE_CLI_TABLE_VERSION,
  SUPABASE_COMMANDS,
  hiddenFlagsOf,
  type SupabaseTarget,
} from '../../../src/core/supabase/supabaseCommandTable';

const BIN = process.env.RUNBOOK_SUPABASE_BIN ? nativeBinary(process.env.RUNBOOK_SUPABASE_BIN) : undefined;
const SKIP = BIN ? false : 'RUNBOOK_SUPABASE_BIN is not set (node scripts/test.mjs sets it)';
const PARALLEL = 3;
let home = '';
let cacheFile = '';
let cache: Record<string, string> = {};

before(() => {
  home = mkdtempSync(join(tmpdir(), 'runbook-cli-help-'));
  if (!BIN) return;
  const stat = statSync(BIN);
  const key = createHash('sha256')
    .update(`${realpathSync(BIN)}|${stat.size}|${stat.mtimeMs}|${SUPABASE_CLI_TABLE_VERSION}`)
    .digest('hex')
    .slice(0, 16);
  cacheFile = join(tmpdir(), 'runbook-companion-cli-help', `${key}.json`);
  if (existsSync(cacheFile)) cache = JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, string>;
});
after(() => {
  if (home) rmSync(home, { recursive: true, force: true });
  if (cacheFile) {
    mkdirSync(dirname(cacheFile), { recursive: true });
    writeFileSync(cacheFile, JSON.stringify(cache));
  }
});

// The npm package's bin is a Node launcher for the platform binary; calling the binary saves a Node start per call.
function nativeBinary(launcher: string): string {
  const native = join(
    dirname(realpathSync(launcher)),
    '..',
    '..',
    '@supabase',
    `cli-${process.platform}-${process.arch}`,
    'bin',
    'supabase',
  );
  return existsSync(native) ? native : launcher;
}

/** Runs the CLI with no access token and an empty HOME, so that nothing can reach a real project. */
function run(args: string[]): Promise<string> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    SUPABASE_NO_KEYRING: '1',
    SUPABASE_TELEMETRY_DISABLED: '1',
    NO_COLOR: '1',
  };
  return new Promise((resolve) =>
    execFile(BIN!, args, { cwd: home, env, timeout: 30_000 }, (_e, stdout, stderr) => resolve(`${stdout}${stderr}`)),
  );
}

/** `--help` output, from the cache when this binary was asked before. */
async function help(args: string[]): Promise<string> {
  const key = args.join(' ');
  cache[key] ??= await run([...args, '--help']);
  return cache[key];
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]);
      }
    }),
  );
  return results;
}

interface HelpEntry {
  name: string;
  tag?: SupabaseTarget;
}

function section(help: string, title: string): string[] {
  const lines = help.split('\n');
  const start = lines.findIndex((l) => l.trim() === title);
  if (start < 0) return [];
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break;
    if (line.trim()) body.push(line);
  }
  return body;
}

const TAGS: Record<string, SupabaseTarget> = {
  'local only': 'local-only',
  'remote only': 'remote-only',
  'local or remote': 'local-or-remote',
};

function subcommands(help: string): HelpEntry[] {
  return section(help, 'SUBCOMMANDS').map((line) => {
    const name = line.trim().split(/,?\s+/)[0];
    const tag = /\[(local only|remote only|local or remote)\]\s*$/.exec(line)?.[1];
    return tag ? { name, tag: TAGS[tag] } : { name };
  });
}

function flags(help: string): string[] {
  return section(help, 'FLAGS').flatMap((line) => {
    const declaration = line.trim().split(/\s{2,}/)[0];
    return [...declaration.matchAll(/(?:^|[\s,])(--?[A-Za-z][A-Za-z0-9-]*)/g)].map((m) => m[1]);
  });
}

// Commands `--help` shows without a tag, and the target the table gives them.
const UNTAGGED: Record<string, SupabaseTarget> = {
  bootstrap: 'local-only',
  'db schema': 'local-only',
  'inspect db': 'local-or-remote',
};
// `link` is tagged [remote only] but records the link rather than acting on a project.
const TAG_EXCEPTIONS: Record<string, SupabaseTarget> = { link: 'account' };

test('the binary is the version the table was read from', { skip: SKIP }, async () => {
  const version = (await run(['--version'])).trim().split('\n')[0];
  assert.equal(
    version,
    SUPABASE_CLI_TABLE_VERSION,
    `supabase --version says ${version}: re-read the --help output and update supabaseCommandTable.ts`,
  );
});

test(
  'every subcommand of the CLI is in the table with the target its help tags, and the table has nothing more',
  { skip: SKIP },
  async () => {
    const top = subcommands(await help([]));
    assert.ok(top.length > 30, `supabase --help lists ${top.length} subcommands`);
    const groupHelps = await mapLimited(top, PARALLEL, async (entry) => ({
      entry,
      children: subcommands(await help([entry.name])),
    }));
    const fromHelp = new Map<string, SupabaseTarget | undefined>();
    for (const { entry, children } of groupHelps) {
      // `logs` is a command with one subcommand (`logs sources`); other groups only hold subcommands.
      if (children.length === 0 || entry.name === 'logs') fromHelp.set(entry.name, entry.tag);
      for (const child of children) fromHelp.set(`${entry.name} ${child.name}`, child.tag);
    }
    const problems: string[] = [];
    for (const [name, tag] of fromHelp) {
      const spec = SUPABASE_COMMANDS[name];
      if (!spec) {
        problems.push(`${name}: in --help, not in the table`);
        continue;
      }
      const expected = TAG_EXCEPTIONS[name] ?? tag ?? UNTAGGED[name] ?? 'account';
      if (spec.target !== expected) problems.push(`${name}: --help says ${tag ?? 'no tag'}, the table ${spec.target}`);
    }
    for (const name of Object.keys(SUPABASE_COMMANDS))
      if (!fromHelp.has(name)) problems.push(`${name}: in the table, not in --help`);
    assert.deepEqual(problems, []);
  },
);

test('the flags the table records are exactly the flags --help lists', { skip: SKIP }, async () => {
  const recorded = Object.entries(SUPABASE_COMMANDS).filter(([, spec]) => spec.flags !== undefined);
  assert.ok(recorded.length >= 25, `flags recorded for ${recorded.length} commands`);
  const helps = await mapLimited(recorded, PARALLEL, async ([name]) => ({
    name,
    listed: flags(await help(name.split(' '))),
  }));
  const problems: string[] = [];
  for (const { name, listed } of helps) {
    const table = new Set(SUPABASE_COMMANDS[name].flags);
    for (const flag of listed) if (!table.has(flag)) problems.push(`${name}: --help lists ${flag}, the table does not`);
    for (const flag of table)
      if (!listed.includes(flag)) problems.push(`${name}: the table has ${flag}, --help does not list it`);
  }
  assert.deepEqual(problems, []);
  const globals = flags((await help([])).replace('GLOBAL FLAGS', 'FLAGS'));
  assert.deepEqual([...globals].sort(), [...GLOBAL_FLAGS].sort());
});

test(
  'hidden flags are accepted, --linked on a Management API command is not, removed commands are unknown',
  { skip: SKIP },
  async () => {
    // No token: each command stops at "Access token not provided" if it accepted its flags, before reaching anything.
    for (const flag of Object.keys(hiddenFlagsOf('functions deploy'))) {
      const args = [
        'functions',
        'deploy',
        'probe',
        flag,
        ...(flag === '--project-ref' ? ['abcdefghijklmnopqrst'] : []),
      ];
      const output = await run(args);
      assert.doesNotMatch(output, /Unrecognized flag/, `${args.join(' ')}: ${output}`);
      assert.match(output, /Access token not provided/, `${args.join(' ')}: ${output}`);
    }
    assert.match(
      await run(['functions', 'deploy', 'probe', '--linked']),
      /Unrecognized flag: --linked in command supabase functions deploy/,
    );
    assert.match(await run(['functions', 'logs', 'probe']), /Unknown subcommand "logs" for "supabase functions"/);
    assert.match(await run(['db', 'remote', 'status']), /Unknown subcommand "status" for "supabase db remote"/);
    assert.deepEqual(Object.keys(GONE_COMMANDS).sort(), ['db remote', 'functions logs']);
    const remoteHelp = subcommands(await help(['db', 'remote'])).map((e) => e.name);
    assert.deepEqual(remoteHelp, ['changes', 'commit'], 'db remote only holds the removed changes and commit');
    assert.match(
      GONE_COMMANDS['db remote'],
      /`changes` became `supabase db diff --remote`.*`commit` became `supabase db pull --remote`/,
    );
  },
);
