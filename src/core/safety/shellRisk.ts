// Whether running a shell snippet can change something that matters (a deploy, a database, the git history,
// files, processes), so that the extension asks before running it. Every simple command of a chain or pipeline
// is checked, and so are the commands inside $(…), backticks, `bash -c '…'`, `eval`, `xargs`, `find -exec`,
// `sudo`, `env`, `timeout` and `ssh host '…'`. Unknown programs count as safe: this is a speed bump for the
// well-known dangerous commands, not a sandbox.
import { basename, unwrapCommand, walkSimpleCommands, type SimpleCommand } from '../bash/simpleCommands';
import { describeSupabaseCommand, parseSupabaseCommand } from '../supabase/supabaseCli';
import { psqlScriptRisks } from './psqlScript';
import { sshRemoteCommand } from '../bash/sshArguments';
import { isSecretName } from '../secrets/secretNames';

export type ShellRiskLevel = 'safe' | 'risky';

export interface ShellRisk {
  level: ShellRiskLevel;
  /** Why the command is risky, one line per dangerous part; empty when safe. */
  reasons: string[];
  /** Worth knowing, but not a reason to ask: a subcommand that no longer exists, a preview flag. */
  notes: string[];
}

interface Findings {
  reasons: Set<string>;
  notes: Set<string>;
}

const MAX_DEPTH = 6;

export function classifyShellRisk(command: string): ShellRisk {
  const findings: Findings = { reasons: new Set(), notes: new Set() };
  for (const reason of secretReferences(command)) findings.reasons.add(reason);
  analyseText(command, findings, 0);
  return {
    level: findings.reasons.size > 0 ? 'risky' : 'safe',
    reasons: [...findings.reasons],
    notes: [...findings.notes],
  };
}

// Every simple command, those inside $(…) included (the walk goes there before the command that holds them).
function analyseText(text: string, f: Findings, depth: number): void {
  walkSimpleCommands(text, (simple, d) => analyseSimple(simple, f, d), MAX_DEPTH, {
    startDepth: depth,
    tooDeep: () => f.reasons.add('The command nests other commands too deeply to check.'),
  });
}

function analyseSimple(simple: SimpleCommand, f: Findings, depth: number): void {
  const targets = simple.redirections.flatMap((r) => (r.target ? [r.target] : []));
  for (const r of simple.redirections) {
    const file = r.target?.value;
    if (!file || /^\/dev\/(null|stdout|stderr|tty|fd\/\d+)$/.test(file) || /^&?(\d|-)$/.test(file)) continue;
    // The shell empties the file before the command starts, so even a command that fails leaves it empty.
    if (r.op === '>' || r.op === '>|' || r.op === '&>' || r.op === '>&')
      f.reasons.add(
        `Overwrites ${file}: the shell empties it before the command runs, even if the command then fails.`,
      );
    if (r.op === '>>' || r.op === '&>>') f.reasons.add(`Appends to ${file}.`);
  }
  if ([...simple.words, ...targets].some((w) => /^\/proc\/[^/]+\/environ$/.test(w.value)))
    f.reasons.add(PRINTS_ENVIRONMENT('Reading /proc/…/environ'));
  const { argv, tokens, wrappers } = unwrapCommand(simple.words);
  if (wrappers.includes('sudo') || wrappers.includes('doas')) f.reasons.add('Runs as root (sudo).');
  if (argv.length === 0) {
    if (wrappers.at(-1) === 'env') f.reasons.add(PRINTS_ENVIRONMENT('env without a program'));
    return;
  }
  if (/[$`]/.test(tokens[0].raw)) {
    f.reasons.add(`Runs a command chosen only when it runs (${tokens[0].raw}).`);
    return;
  }
  analyseArgv(argv, simple, f, depth);
}

type Rule = (args: string[], simple: SimpleCommand, f: Findings, depth: number) => void;

function analyseArgv(argv: string[], simple: SimpleCommand, f: Findings, depth: number): void {
  const program = basename(argv[0]);
  const rule = RULES[program] ?? (/^mkfs(\.|$)/.test(program) ? RULES.mkfs : undefined);
  if (rule) {
    rule(argv.slice(1), simple, f, depth);
    return;
  }
  if (argv[0].includes('/') && !/(^|\/)node_modules\/\.bin\//.test(argv[0])) {
    f.reasons.add(`Runs the script ${argv[0]}, which the runbook does not show.`);
  }
}

/** First argument that is not an option, skipping the values of the given options. */
function subcommand(
  args: readonly string[],
  optionsWithValue: readonly string[] = [],
): { name?: string; index: number } {
  for (let i = 0; i < args.length; i++) {
    if (optionsWithValue.includes(args[i])) {
      i++;
      continue;
    }
    if (!args[i].startsWith('-')) return { name: args[i], index: i };
  }
  return { index: args.length };
}

const has = (args: readonly string[], ...flags: string[]): boolean =>
  args.some((a) => flags.includes(a) || flags.some((fl) => fl.startsWith('--') && a.startsWith(`${fl}=`)));
// Short options may be bundled: `-fd` holds `-f`.
const hasShort = (args: readonly string[], letter: string): boolean =>
  args.some((a) => /^-[A-Za-z]+$/.test(a) && a.includes(letter));

/** The values of an option, written `-o v`, `-ov`, `--output v` or `--output=v`. */
function optionValues(args: readonly string[], names: readonly string[]): string[] {
  const values: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (names.includes(a)) {
      if (args[i + 1] !== undefined) values.push(args[++i]);
      continue;
    }
    const long = names.find((n) => n.startsWith('--') && a.startsWith(`${n}=`));
    if (long) {
      values.push(a.slice(long.length + 1));
      continue;
    }
    const short = names.find((n) => /^-[A-Za-z]$/.test(n) && a.startsWith(n) && a.length > 2 && !a.startsWith('--'));
    if (short) values.push(a.slice(2));
  }
  return values;
}

const deletes =
  (what: string): Rule =>
  (_args, _s, f) => {
    f.reasons.add(what);
  };

const RULES: Record<string, Rule> = {
  supabase: (args, _s, f) => {
    const parsed = parseSupabaseCommand(['supabase', ...args]);
    if (!parsed) return;
    if (parsed.unknown) {
      f.notes.add(parsed.unknown);
      return;
    }
    const name = describeSupabaseCommand(parsed);
    if (name === 'supabase stop' && has(args, '--no-backup')) {
      f.reasons.add('supabase stop --no-backup deletes the local database volumes.');
      return;
    }
    const spec = parsed.spec;
    if (!spec?.changes) return;
    if (spec.previewFlag && has(args, spec.previewFlag)) {
      f.notes.add(`${name} with ${spec.previewFlag} changes nothing.`);
      return;
    }
    f.reasons.add(`${name} ${spec.changes}.`);
  },
  git: (args, _s, f) => {
    const { name, index } = subcommand(args, ['-C', '-c', '--git-dir', '--work-tree', '--namespace']);
    const rest = args.slice(index + 1);
    switch (name) {
      case 'push':
        if (has(rest, '--dry-run') || hasShort(rest, 'n')) {
          f.notes.add('git push --dry-run only shows what would be pushed.');
          return;
        }
        f.reasons.add('git push publishes commits to a remote.');
        if (
          has(rest, '--force', '--force-with-lease', '--mirror', '--delete') ||
          hasShort(rest, 'f') ||
          hasShort(rest, 'd') ||
          rest.some((a) => /^\+|^:/.test(a))
        ) {
          f.reasons.add('git push rewrites or deletes history on the remote.');
        }
        return;
      case 'revert':
        f.reasons.add('git revert creates commits that undo earlier ones.');
        return;
      case 'reset':
        if (has(rest, '--hard', '--merge', '--keep')) f.reasons.add('git reset --hard discards uncommitted changes.');
        return;
      case 'checkout':
        if (
          rest.includes('--') ||
          rest.includes('.') ||
          has(rest, '--force', '--ours', '--theirs') ||
          hasShort(rest, 'f')
        ) {
          f.reasons.add('git checkout -- <path> overwrites files in the working copy, discarding their changes.');
        }
        return;
      case 'restore':
        if (!(has(rest, '--staged', '-S') && !has(rest, '--worktree', '-W')))
          f.reasons.add('git restore discards changes in the working copy.');
        return;
      case 'switch':
        if (has(rest, '--discard-changes', '--force') || hasShort(rest, 'f'))
          f.reasons.add('git switch --discard-changes discards uncommitted changes.');
        return;
      case 'clean':
        if (has(rest, '--force') || hasShort(rest, 'f')) f.reasons.add('git clean deletes untracked files.');
        return;
      case 'branch':
        if (has(rest, '--delete') || hasShort(rest, 'D') || hasShort(rest, 'd'))
          f.reasons.add('git branch -d deletes a branch.');
        return;
      case 'stash':
        if (rest[0] === 'drop' || rest[0] === 'clear') f.reasons.add('git stash drop deletes stashed changes.');
        return;
      case 'rebase':
        f.reasons.add('git rebase rewrites commits.');
        return;
      case 'filter-branch':
      case 'filter-repo':
        f.reasons.add(`git ${name} rewrites the whole history.`);
        return;
      default:
        return;
    }
  },
  rm: deletes('rm deletes files.'),
  rmdir: deletes('rmdir deletes directories.'),
  shred: deletes('shred destroys files.'),
  unlink: deletes('unlink deletes a file.'),
  truncate: deletes('truncate cuts files short.'),
  dd: deletes('dd writes raw data, possibly over a disk.'),
  mkfs: deletes('mkfs formats a disk.'),
  kill: deletes('kill stops processes.'),
  pkill: deletes('pkill stops processes.'),
  killall: deletes('killall stops processes.'),
  shutdown: deletes('shutdown stops the machine.'),
  reboot: deletes('reboot restarts the machine.'),
  systemctl: (args, _s, f) => {
    const { name } = subcommand(args);
    if (name && /^(stop|restart|kill|disable|mask|reload|isolate|poweroff|reboot)$/.test(name))
      f.reasons.add(`systemctl ${name} changes running services.`);
  },
  find: (args, simple, f, depth) => {
    if (args.includes('-delete')) f.reasons.add('find -delete deletes files.');
    for (let i = 0; i < args.length; i++) {
      if (!/^-(exec|execdir|ok|okdir)$/.test(args[i])) continue;
      const end = args.findIndex((a, j) => j > i && (a === ';' || a === '+'));
      const inner = args.slice(i + 1, end === -1 ? undefined : end);
      if (inner.length > 0) analyseArgv(inner, simple, f, depth + 1);
    }
  },
  psql: (args, simple, f) => {
    const scripts: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if ((a === '-c' || a === '--command') && args[i + 1] !== undefined) scripts.push(args[++i]);
      else if (a.startsWith('--command=')) scripts.push(a.slice('--command='.length));
      else if (/^-c./.test(a)) scripts.push(a.slice(2));
      else if (a === '-f' || a === '--file' || a.startsWith('--file=') || /^-f./.test(a))
        f.reasons.add('psql -f runs SQL from a file the runbook does not show.');
    }
    for (const file of optionValues(args, ['-o', '--output', '-L', '--log-file']))
      f.reasons.add(`psql writes its output to ${file}, replacing it.`);
    for (const r of simple.redirections) {
      if (r.hereDoc) scripts.push(r.hereDoc.body);
      else if (r.op === '<<<' && r.target) scripts.push(r.target.value);
      else if (r.op === '<' && r.target)
        f.reasons.add(`psql runs the SQL in ${r.target.value}, which the runbook does not show.`);
    }
    if (simple.pipedInto && scripts.length === 0) f.reasons.add('psql runs SQL piped in from the previous command.');
    for (const script of scripts) for (const reason of psqlScriptRisks(script)) f.reasons.add(reason);
  },
  pg_restore: (args, _s, f) => {
    if (has(args, '--list') || hasShort(args, 'l')) return;
    const database = optionValues(args, ['-d', '--dbname'])[0];
    if (database !== undefined) {
      f.reasons.add(
        `pg_restore writes the dump into the database ${database}${has(args, '--clean') || args.includes('-c') ? ', dropping its objects first (--clean)' : ''}.`,
      );
      return;
    }
    const file = optionValues(args, ['-f', '--file'])[0];
    if (file !== undefined && file !== '-')
      f.reasons.add(`pg_restore writes the restore script to ${file}, replacing it.`);
  },
  pg_dump: (args, _s, f) => dumpsToFile('pg_dump', args, f),
  pg_dumpall: (args, _s, f) => dumpsToFile('pg_dumpall', args, f),
  dropdb: deletes('dropdb deletes a whole database and every row in it.'),
  dropuser: deletes('dropuser deletes a database role; whatever logs in with it stops working.'),
  createdb: deletes('createdb creates a database.'),
  createuser: deletes('createuser creates a database role.'),
  vacuumdb: (args, _s, f) => {
    if (has(args, '--full') || hasShort(args, 'f'))
      f.reasons.add(
        'vacuumdb --full rewrites every table under an exclusive lock: reads and writes wait until it ends.',
      );
    else if (has(args, '--analyze-only') || hasShort(args, 'Z'))
      f.reasons.add('vacuumdb --analyze-only rewrites the planner statistics of every table.');
    else f.reasons.add('vacuumdb vacuums every table: heavy I/O on the database while it runs.');
  },
  reindexdb: (args, _s, f) => {
    f.reasons.add(
      has(args, '--concurrently')
        ? 'reindexdb rebuilds indexes (concurrently: heavy I/O, but no blocking lock).'
        : 'reindexdb rebuilds indexes under locks that block writes to their tables.',
    );
  },
  clusterdb: deletes(
    'clusterdb rewrites tables in index order under an exclusive lock: reads and writes wait until it ends.',
  ),
  pg_ctl: (args, _s, f) => {
    const { name } = subcommand(args, [
      '-D',
      '--pgdata',
      '-l',
      '--log',
      '-m',
      '--mode',
      '-o',
      '--options',
      '-t',
      '--timeout',
      '-s',
      '-e',
      '-N',
      '-P',
      '-U',
    ]);
    if (name && /^(stop|restart|kill|promote|reload|start|init|initdb|register|unregister|logrotate)$/.test(name))
      f.reasons.add(
        `pg_ctl ${name} ${name === 'start' ? 'starts' : name === 'reload' ? 'reloads the configuration of' : name === 'init' || name === 'initdb' ? 'creates' : 'acts on'} a PostgreSQL server.`,
      );
  },
  pgbench: (args, _s, f) => {
    if (has(args, '--initialize') || hasShort(args, 'i'))
      f.reasons.add('pgbench -i drops and recreates the pgbench tables.');
    else if (!(
      has(args, '--select-only') ||
      hasShort(args, 'S') ||
      /select-only/.test(optionValues(args, ['-b', '--builtin']).join(' '))
    ))
      f.reasons.add('pgbench writes to its tables and loads the database.');
  },
  pg_resetwal: deletes('pg_resetwal rewrites the write-ahead log and can lose committed data.'),
  pg_rewind: deletes('pg_rewind overwrites a data directory from another server.'),
  pg_upgrade: deletes('pg_upgrade upgrades a data directory in place.'),
  pg_basebackup: (args, _s, f) => {
    const dir = optionValues(args, ['-D', '--pgdata'])[0];
    if (dir && dir !== '-') f.reasons.add(`pg_basebackup writes a copy of the server into ${dir}.`);
  },
  printenv: (args, _s, f) => {
    const names = args.filter((a) => !a.startsWith('-'));
    if (names.length === 0) f.reasons.add(PRINTS_ENVIRONMENT('printenv'));
    else if (names.some(isSecretVariableName))
      f.reasons.add(
        `printenv ${names.filter(isSecretVariableName).join(' ')} prints a secret of the terminal's environment.`,
      );
  },
  set: (args, _s, f) => {
    if (args.length === 0) f.reasons.add(PRINTS_ENVIRONMENT('set without arguments'));
  },
  export: (args, _s, f) => {
    if (args.every((a) => a === '-p'))
      f.reasons.add(PRINTS_ENVIRONMENT(args.length ? 'export -p' : 'export without arguments'));
  },
  declare: (args, _s, f) => printsVariables('declare', args, f),
  typeset: (args, _s, f) => printsVariables('typeset', args, f),
  tee: (args, _s, f) => {
    const files = args.filter((a) => !a.startsWith('-') && !/^\/dev\/(null|stdout|stderr|tty)$/.test(a));
    const appends = args.some((a) => a === '-a' || a === '--append');
    for (const file of files) f.reasons.add(appends ? `tee appends to ${file}.` : `tee overwrites ${file}.`);
  },
  curl: (args, _s, f) => {
    let method: string | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '-X' || a === '--request') method = args[i + 1]?.toUpperCase();
      else if (a.startsWith('--request=')) method = a.slice('--request='.length).toUpperCase();
      else if (/^-X./.test(a)) method = a.slice(2).toUpperCase();
    }
    const sendsBody =
      has(
        args,
        '-d',
        '--data',
        '--data-raw',
        '--data-binary',
        '--data-urlencode',
        '--json',
        '-F',
        '--form',
        '--form-string',
      ) || args.some((a) => /^-[dF]./.test(a));
    const uploads = has(args, '-T', '--upload-file');
    const effective = method ?? (uploads ? 'PUT' : sendsBody ? 'POST' : 'GET');
    if (/^(POST|PUT|PATCH|DELETE)$/.test(effective))
      f.reasons.add(`curl sends a ${effective} request, which can change data on the server.`);
    const output = outputFile(args);
    if (output !== undefined && output !== '-' && !/^\/dev\/(null|stdout)$/.test(output))
      f.reasons.add(`curl writes the response to ${output}, replacing it.`);
  },
  wget: (args, _s, f) => {
    const method = args
      .find((a) => a.startsWith('--method='))
      ?.slice('--method='.length)
      .toUpperCase();
    if (
      has(args, '--post-data', '--post-file', '--body-data', '--body-file') ||
      (method && method !== 'GET' && method !== 'HEAD')
    ) {
      f.reasons.add(`wget sends a ${method ?? 'POST'} request, which can change data on the server.`);
    }
  },
  http: (args, _s, f) => httpie(args, f),
  https: (args, _s, f) => httpie(args, f),
  xh: (args, _s, f) => httpie(args, f),
  vercel: (args, _s, f) => {
    const { name } = subcommand(args, ['--scope', '--token', '-t', '--cwd', '-A', '--local-config', '-S']);
    // A bare `vercel` deploys the current directory.
    if (name === undefined || /^(deploy|redeploy|promote|rollback|alias|remove|rm)$/.test(name))
      f.reasons.add(`vercel ${name ?? ''}`.trim() + ' changes deployments.');
    else if (name === 'env' && /^(add|rm|remove|pull)$/.test(args[args.indexOf(name) + 1] ?? ''))
      f.reasons.add('vercel env changes environment variables.');
  },
  netlify: (args, _s, f) => {
    const { name } = subcommand(args);
    if (name === 'deploy') f.reasons.add('netlify deploy publishes a deploy.');
    if (name?.startsWith('env:') && name !== 'env:list' && name !== 'env:get')
      f.reasons.add(`netlify ${name} changes environment variables.`);
  },
  firebase: (args, _s, f) => {
    if (subcommand(args).name === 'deploy') f.reasons.add('firebase deploy publishes a deploy.');
  },
  fly: (args, _s, f) => flyRule('fly', args, f),
  flyctl: (args, _s, f) => flyRule('flyctl', args, f),
  wrangler: (args, _s, f) => {
    const n = subcommand(args).name;
    if (n === 'deploy' || n === 'publish' || n === 'rollback') f.reasons.add(`wrangler ${n} changes a deployment.`);
  },
  heroku: (args, _s, f) => {
    const n = subcommand(args).name;
    if (
      n &&
      /^(releases:rollback|ps:restart|ps:scale|config:set|config:unset|pg:reset|apps:destroy|maintenance:on)$/.test(n)
    )
      f.reasons.add(`heroku ${n} changes the app.`);
  },
  npm: (args, _s, f) => packageManager('npm', args, f),
  pnpm: (args, _s, f) => packageManager('pnpm', args, f),
  yarn: (args, _s, f) => packageManager('yarn', args, f),
  bun: (args, _s, f) => packageManager('bun', args, f),
  docker: (args, _s, f) => {
    const { name, index } = subcommand(args, ['-H', '--host', '--context', '-c', '--config']);
    const rest = args.slice(index + 1);
    if (name && /^(rm|rmi|kill|stop|restart|push)$/.test(name))
      f.reasons.add(`docker ${name} changes containers or images.`);
    if (name && /^(system|volume|image|container|network|builder)$/.test(name) && /^(prune|rm)$/.test(rest[0] ?? ''))
      f.reasons.add(`docker ${name} ${rest[0]} deletes Docker data.`);
    if (name === 'compose' && rest.includes('down'))
      f.reasons.add(
        'docker compose down stops and removes containers' +
          (has(rest, '-v', '--volumes') ? ' and their volumes.' : '.'),
      );
  },
  kubectl: (args, _s, f) => {
    const n = subcommand(args, ['-n', '--namespace', '--context', '-l', '--selector']).name;
    if (
      n &&
      /^(apply|create|delete|replace|patch|edit|scale|rollout|drain|cordon|uncordon|taint|set|label|annotate|autoscale|expose)$/.test(
        n,
      )
    )
      f.reasons.add(`kubectl ${n} changes the cluster.`);
  },
  terraform: (args, _s, f) => {
    const n = subcommand(args).name;
    if (n && /^(apply|destroy|import|taint|state)$/.test(n)) f.reasons.add(`terraform ${n} changes infrastructure.`);
  },
  tofu: (args, _s, f) => {
    const n = subcommand(args).name;
    if (n && /^(apply|destroy|import|taint|state)$/.test(n)) f.reasons.add(`tofu ${n} changes infrastructure.`);
  },
  aws: (args, _s, f) => {
    const words = args.filter((a) => !a.startsWith('-'));
    if (words[0] === 's3' && /^(rm|mv|cp|sync|rb)$/.test(words[1] ?? ''))
      f.reasons.add(`aws s3 ${words[1]} changes S3 objects.`);
    else if (
      words[1] &&
      /^(delete|put|create|update|terminate|modify|stop|reboot|remove|restore|start)-/.test(words[1])
    )
      f.reasons.add(`aws ${words[0]} ${words[1]} changes AWS resources.`);
  },
  gh: (args, _s, f) => {
    const [group, action] = args.filter((a) => !a.startsWith('-'));
    if (
      (group === 'pr' && /^(merge|close)$/.test(action ?? '')) ||
      (group === 'release' && /^(create|delete|edit)$/.test(action ?? '')) ||
      (group === 'repo' && action === 'delete') ||
      (group === 'workflow' && action === 'run') ||
      (group === 'secret' && /^(set|delete)$/.test(action ?? ''))
    ) {
      f.reasons.add(`gh ${group} ${action} changes the repository.`);
    }
  },
  bash: (args, simple, f, depth) => shellRule('bash', args, simple, f, depth),
  sh: (args, simple, f, depth) => shellRule('sh', args, simple, f, depth),
  zsh: (args, simple, f, depth) => shellRule('zsh', args, simple, f, depth),
  dash: (args, simple, f, depth) => shellRule('dash', args, simple, f, depth),
  eval: (args, _s, f, depth) => analyseText(args.join(' '), f, depth + 1),
  ssh: (args, _s, f, depth) => {
    const remote = sshRemoteCommand(args);
    if (remote.length > 0) analyseText(remote.join(' '), f, depth + 1);
  },
};

function dumpsToFile(program: string, args: readonly string[], f: Findings): void {
  const file = optionValues(args, ['-f', '--file'])[0];
  if (file !== undefined && file !== '-') f.reasons.add(`${program} writes the dump to ${file}, replacing it.`);
}

// The variables in which the extension gives a terminal its secrets (see ShellSnippetRunner).
const TERMINAL_SECRETS: Record<string, string> = {
  PGPASSWORD: 'the database password',
  SUPABASE_ACCESS_TOKEN: 'the Supabase access token',
  SUPABASE_DB_PASSWORD: 'the database password',
};
// Beyond the names that say "secret": our secret placeholders' variables, and libpq's password file.
const SECRET_CARRIER = /^(RUNBOOK_SECRET_|PGPASSFILE$)/i;

function isSecretVariableName(name: string): boolean {
  return name in TERMINAL_SECRETS || SECRET_CARRIER.test(name) || isSecretName(name);
}

const PRINTS_ENVIRONMENT = (what: string): string =>
  `${what} prints the terminal's environment, which can hold the database password, the access token and secret values.`;

function printsVariables(program: string, args: readonly string[], f: Findings): void {
  const names = args.filter((a) => !a.startsWith('-') && !a.startsWith('+'));
  const lists = args.length === 0 || (names.length === 0 && args.every((a) => /^-[pxF]+$/.test(a)));
  if (lists) f.reasons.add(PRINTS_ENVIRONMENT(`${program} ${args.join(' ')}`.trim()));
  else if (args.some((a) => /^-[a-zA-Z]*p/.test(a)) && names.some(isSecretVariableName))
    f.reasons.add(`${program} -p prints a secret of the terminal's environment.`);
}

/** A snippet that names the terminal's secrets can print them or send them anywhere, whatever else it does. */
function secretReferences(command: string): string[] {
  const reasons: string[] = [];
  for (const [, name] of command.matchAll(/\$\{?[#!]?(PGPASSWORD|SUPABASE_ACCESS_TOKEN|SUPABASE_DB_PASSWORD)\b/g)) {
    reasons.push(
      `Reads $${name}, ${TERMINAL_SECRETS[name]} this terminal is given: the command can print it or send it elsewhere.`,
    );
  }
  return [...new Set(reasons)];
}

function outputFile(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-o' || a === '--output') return args[i + 1] ?? '';
    if (a.startsWith('--output=')) return a.slice('--output='.length);
    if (/^-o./.test(a)) return a.slice(2);
  }
  return undefined;
}

function httpie(args: string[], f: Findings): void {
  const method = args.find((a) => /^[A-Z]+$/.test(a));
  const sendsData = args.some((a) => /^[^=:-][^=:]*(:=|=)/.test(a) && !/^https?:/.test(a));
  const effective = method ?? (sendsData ? 'POST' : 'GET');
  if (/^(POST|PUT|PATCH|DELETE)$/.test(effective))
    f.reasons.add(`The HTTP client sends a ${effective} request, which can change data on the server.`);
}

function flyRule(program: string, args: string[], f: Findings): void {
  const n = subcommand(args).name;
  if (n && /^(deploy|destroy|scale|secrets|releases)$/.test(n)) f.reasons.add(`${program} ${n} changes the app.`);
}

// Scripts whose names say they deploy or change shared state; `npm run build`, `npm test` stay safe.
const RISKY_SCRIPT = /(deploy|release|publish|rollback|migrat|seed|reset|drop|destroy)/i;
const PM_BUILTINS = new Set([
  'install',
  'i',
  'ci',
  'add',
  'remove',
  'rm',
  'uninstall',
  'update',
  'up',
  'upgrade',
  'test',
  't',
  'ls',
  'list',
  'outdated',
  'audit',
  'why',
  'info',
  'view',
  'exec',
  'dlx',
  'create',
  'init',
  'link',
  'pack',
  'config',
  'cache',
  'version',
  'login',
  'logout',
  'whoami',
  'start',
  'build',
  'dev',
  'x',
]);

function packageManager(program: string, args: string[], f: Findings): void {
  const { name, index } = subcommand(args, ['--prefix', '-C', '--dir', '--filter', '-F', '--workspace', '-w', '--cwd']);
  if (!name) return;
  if (/^(publish|unpublish|deprecate|dist-tag)$/.test(name)) {
    f.reasons.add(`${program} ${name} changes a published package.`);
    return;
  }
  const script =
    name === 'run' || name === 'run-script'
      ? args.slice(index + 1).find((a) => !a.startsWith('-'))
      : PM_BUILTINS.has(name) || program === 'npm'
        ? undefined
        : name;
  if (script && RISKY_SCRIPT.test(script))
    f.reasons.add(
      `${program} ${name === 'run' || name === 'run-script' ? 'run ' : ''}${script} runs a script whose name says it deploys or changes shared state.`,
    );
}

function shellRule(program: string, args: string[], simple: SimpleCommand, f: Findings, depth: number): void {
  const c = args.findIndex((a) => a === '-c' || (/^-[a-z]*c[a-z]*$/.test(a) && !a.startsWith('--')));
  if (c !== -1) {
    if (args[c + 1] !== undefined) analyseText(args[c + 1], f, depth + 1);
    return;
  }
  const script = args.find((a) => !a.startsWith('-'));
  if (script) f.reasons.add(`${program} runs the script ${script}, which the runbook does not show.`);
  else if (simple.pipedInto) f.reasons.add(`Pipes the previous command's output into ${program}, which runs it.`);
  else {
    for (const r of simple.redirections) {
      if (r.hereDoc) analyseText(r.hereDoc.body, f, depth + 1);
      else if (r.op === '<<<' && r.target) analyseText(r.target.value, f, depth + 1);
      else if (r.op === '<') f.reasons.add(`${program} runs commands from its input, which this check cannot see.`);
    }
  }
}
