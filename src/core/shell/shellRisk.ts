// Whether running a shell snippet can change something that matters (a deploy, a database, the git history,
// files, processes), so that the extension asks before running it. Every simple command of a chain or pipeline
// is checked, and so are the commands inside $(…), backticks, `bash -c '…'`, `eval`, `xargs`, `find -exec`,
// `sudo`, `env`, `timeout` and `ssh host '…'`. Unknown programs count as safe: this is a speed bump for the
// well-known dangerous commands, not a sandbox.
import { basename, splitSimpleCommands, unwrapCommand, type SimpleCommand } from './simpleCommands';
import { describeSupabaseCommand, parseSupabaseCommand } from './supabaseCli';

export type ShellRiskLevel = 'safe' | 'risky';

export interface ShellRisk {
  level: ShellRiskLevel;
  /** Why the command is risky, one line per dangerous part; empty when safe. */
  reasons: string[];
  /** Worth knowing, but not a reason to ask: a subcommand that no longer exists, a preview flag. */
  notes: string[];
}

interface Findings { reasons: Set<string>; notes: Set<string> }

const MAX_DEPTH = 6;

export function classifyShellRisk(command: string): ShellRisk {
  const findings: Findings = { reasons: new Set(), notes: new Set() };
  analyseText(command, findings, 0);
  return { level: findings.reasons.size > 0 ? 'risky' : 'safe', reasons: [...findings.reasons], notes: [...findings.notes] };
}

function analyseText(text: string, f: Findings, depth: number): void {
  if (depth > MAX_DEPTH) { f.reasons.add('The command nests other commands too deeply to check.'); return; }
  for (const simple of splitSimpleCommands(text)) analyseSimple(simple, f, depth);
}

function analyseSimple(simple: SimpleCommand, f: Findings, depth: number): void {
  const targets = simple.redirections.flatMap((r) => (r.target ? [r.target] : []));
  for (const word of [...simple.words, ...simple.assignments, ...targets]) {
    for (const inner of word.substitutions) analyseText(inner, f, depth + 1);
  }
  for (const r of simple.redirections) {
    const file = r.target?.value;
    if (!file || /^\/dev\/(null|stdout|stderr|tty|fd\/\d+)$/.test(file) || /^&?(\d|-)$/.test(file)) continue;
    // The shell empties the file before the command starts, so even a command that fails leaves it empty.
    if (r.op === '>' || r.op === '>|' || r.op === '&>' || r.op === '>&') f.reasons.add(`Overwrites ${file}: the shell empties it before the command runs, even if the command then fails.`);
    if (r.op === '>>' || r.op === '&>>') f.reasons.add(`Appends to ${file}.`);
  }
  const { argv, tokens, wrappers } = unwrapCommand(simple.words);
  if (wrappers.includes('sudo') || wrappers.includes('doas')) f.reasons.add('Runs as root (sudo).');
  if (argv.length === 0) return;
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
  if (rule) { rule(argv.slice(1), simple, f, depth); return; }
  if (argv[0].includes('/') && !/(^|\/)node_modules\/\.bin\//.test(argv[0])) {
    f.reasons.add(`Runs the script ${argv[0]}, which the runbook does not show.`);
  }
}

/** First argument that is not an option, skipping the values of the given options. */
function subcommand(args: readonly string[], optionsWithValue: readonly string[] = []): { name?: string; index: number } {
  for (let i = 0; i < args.length; i++) {
    if (optionsWithValue.includes(args[i])) { i++; continue; }
    if (!args[i].startsWith('-')) return { name: args[i], index: i };
  }
  return { index: args.length };
}

const has = (args: readonly string[], ...flags: string[]): boolean => args.some((a) => flags.includes(a) || flags.some((fl) => fl.startsWith('--') && a.startsWith(`${fl}=`)));
// Short options may be bundled: `-fd` holds `-f`.
const hasShort = (args: readonly string[], letter: string): boolean => args.some((a) => /^-[A-Za-z]+$/.test(a) && a.includes(letter));

const deletes = (what: string): Rule => (_args, _s, f) => { f.reasons.add(what); };

const RULES: Record<string, Rule> = {
  supabase: (args, _s, f) => {
    const parsed = parseSupabaseCommand(['supabase', ...args]);
    if (!parsed) return;
    if (parsed.unknown) { f.notes.add(parsed.unknown); return; }
    const name = describeSupabaseCommand(parsed);
    if (name === 'supabase stop' && has(args, '--no-backup')) { f.reasons.add('supabase stop --no-backup deletes the local database volumes.'); return; }
    const spec = parsed.spec;
    if (!spec?.changes) return;
    if (spec.previewFlag && has(args, spec.previewFlag)) { f.notes.add(`${name} with ${spec.previewFlag} changes nothing.`); return; }
    f.reasons.add(`${name} ${spec.changes}.`);
  },
  git: (args, _s, f) => {
    const { name, index } = subcommand(args, ['-C', '-c', '--git-dir', '--work-tree', '--namespace']);
    const rest = args.slice(index + 1);
    switch (name) {
      case 'push':
        if (has(rest, '--dry-run') || hasShort(rest, 'n')) { f.notes.add('git push --dry-run only shows what would be pushed.'); return; }
        f.reasons.add('git push publishes commits to a remote.');
        if (has(rest, '--force', '--force-with-lease', '--mirror', '--delete') || hasShort(rest, 'f') || hasShort(rest, 'd') || rest.some((a) => /^\+|^:/.test(a))) {
          f.reasons.add('git push rewrites or deletes history on the remote.');
        }
        return;
      case 'revert': f.reasons.add('git revert creates commits that undo earlier ones.'); return;
      case 'reset':
        if (has(rest, '--hard', '--merge', '--keep')) f.reasons.add('git reset --hard discards uncommitted changes.');
        return;
      case 'checkout':
        if (rest.includes('--') || rest.includes('.') || has(rest, '--force', '--ours', '--theirs') || hasShort(rest, 'f')) {
          f.reasons.add('git checkout -- <path> overwrites files in the working copy, discarding their changes.');
        }
        return;
      case 'restore':
        if (!(has(rest, '--staged', '-S') && !has(rest, '--worktree', '-W'))) f.reasons.add('git restore discards changes in the working copy.');
        return;
      case 'switch':
        if (has(rest, '--discard-changes', '--force') || hasShort(rest, 'f')) f.reasons.add('git switch --discard-changes discards uncommitted changes.');
        return;
      case 'clean':
        if (has(rest, '--force') || hasShort(rest, 'f')) f.reasons.add('git clean deletes untracked files.');
        return;
      case 'branch':
        if (has(rest, '--delete') || hasShort(rest, 'D') || hasShort(rest, 'd')) f.reasons.add('git branch -d deletes a branch.');
        return;
      case 'stash':
        if (rest[0] === 'drop' || rest[0] === 'clear') f.reasons.add('git stash drop deletes stashed changes.');
        return;
      case 'rebase': f.reasons.add('git rebase rewrites commits.'); return;
      case 'filter-branch': case 'filter-repo': f.reasons.add(`git ${name} rewrites the whole history.`); return;
      default: return;
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
    if (name && /^(stop|restart|kill|disable|mask|reload|isolate|poweroff|reboot)$/.test(name)) f.reasons.add(`systemctl ${name} changes running services.`);
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
    const sql: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if ((a === '-c' || a === '--command') && args[i + 1] !== undefined) sql.push(args[++i]);
      else if (a.startsWith('--command=')) sql.push(a.slice('--command='.length));
      else if (/^-c./.test(a)) sql.push(a.slice(2));
      else if (a === '-f' || a === '--file' || a.startsWith('--file=') || /^-f./.test(a)) f.reasons.add('psql -f runs SQL from a file the runbook does not show.');
    }
    for (const r of simple.redirections) {
      if (r.hereDoc) sql.push(r.hereDoc.body);
      else if (r.op === '<' && r.target) f.reasons.add(`psql runs the SQL in ${r.target.value}, which the runbook does not show.`);
    }
    if (simple.pipedInto && sql.length === 0) f.reasons.add('psql runs SQL piped in from the previous command.');
    for (const statement of sql) {
      const write = sqlWriteKeyword(statement);
      if (write) f.reasons.add(`psql runs SQL that changes the database or its sessions (${write}).`);
    }
  },
  pg_restore: deletes('pg_restore writes a dump into a database.'),
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
    const sendsBody = has(args, '-d', '--data', '--data-raw', '--data-binary', '--data-urlencode', '--json', '-F', '--form', '--form-string') || args.some((a) => /^-[dF]./.test(a));
    const uploads = has(args, '-T', '--upload-file');
    const effective = method ?? (uploads ? 'PUT' : sendsBody ? 'POST' : 'GET');
    if (/^(POST|PUT|PATCH|DELETE)$/.test(effective)) f.reasons.add(`curl sends a ${effective} request, which can change data on the server.`);
    const output = outputFile(args);
    if (output !== undefined && output !== '-' && !/^\/dev\/(null|stdout)$/.test(output)) f.reasons.add(`curl writes the response to ${output}, replacing it.`);
  },
  wget: (args, _s, f) => {
    const method = args.find((a) => a.startsWith('--method='))?.slice('--method='.length).toUpperCase();
    if (has(args, '--post-data', '--post-file', '--body-data', '--body-file') || (method && method !== 'GET' && method !== 'HEAD')) {
      f.reasons.add(`wget sends a ${method ?? 'POST'} request, which can change data on the server.`);
    }
  },
  http: (args, _s, f) => httpie(args, f),
  https: (args, _s, f) => httpie(args, f),
  xh: (args, _s, f) => httpie(args, f),
  vercel: (args, _s, f) => {
    const { name } = subcommand(args, ['--scope', '--token', '-t', '--cwd', '-A', '--local-config', '-S']);
    // A bare `vercel` deploys the current directory.
    if (name === undefined || /^(deploy|redeploy|promote|rollback|alias|remove|rm)$/.test(name)) f.reasons.add(`vercel ${name ?? ''}`.trim() + ' changes deployments.');
    else if (name === 'env' && /^(add|rm|remove|pull)$/.test(args[args.indexOf(name) + 1] ?? '')) f.reasons.add('vercel env changes environment variables.');
  },
  netlify: (args, _s, f) => {
    const { name } = subcommand(args);
    if (name === 'deploy') f.reasons.add('netlify deploy publishes a deploy.');
    if (name?.startsWith('env:') && name !== 'env:list' && name !== 'env:get') f.reasons.add(`netlify ${name} changes environment variables.`);
  },
  firebase: (args, _s, f) => { if (subcommand(args).name === 'deploy') f.reasons.add('firebase deploy publishes a deploy.'); },
  fly: (args, _s, f) => flyRule('fly', args, f),
  flyctl: (args, _s, f) => flyRule('flyctl', args, f),
  wrangler: (args, _s, f) => { const n = subcommand(args).name; if (n === 'deploy' || n === 'publish' || n === 'rollback') f.reasons.add(`wrangler ${n} changes a deployment.`); },
  heroku: (args, _s, f) => { const n = subcommand(args).name; if (n && /^(releases:rollback|ps:restart|ps:scale|config:set|config:unset|pg:reset|apps:destroy|maintenance:on)$/.test(n)) f.reasons.add(`heroku ${n} changes the app.`); },
  npm: (args, _s, f) => packageManager('npm', args, f),
  pnpm: (args, _s, f) => packageManager('pnpm', args, f),
  yarn: (args, _s, f) => packageManager('yarn', args, f),
  bun: (args, _s, f) => packageManager('bun', args, f),
  docker: (args, _s, f) => {
    const { name, index } = subcommand(args, ['-H', '--host', '--context', '-c', '--config']);
    const rest = args.slice(index + 1);
    if (name && /^(rm|rmi|kill|stop|restart|push)$/.test(name)) f.reasons.add(`docker ${name} changes containers or images.`);
    if (name && /^(system|volume|image|container|network|builder)$/.test(name) && /^(prune|rm)$/.test(rest[0] ?? '')) f.reasons.add(`docker ${name} ${rest[0]} deletes Docker data.`);
    if (name === 'compose' && rest.includes('down')) f.reasons.add('docker compose down stops and removes containers' + (has(rest, '-v', '--volumes') ? ' and their volumes.' : '.'));
  },
  kubectl: (args, _s, f) => {
    const n = subcommand(args, ['-n', '--namespace', '--context', '-l', '--selector']).name;
    if (n && /^(apply|create|delete|replace|patch|edit|scale|rollout|drain|cordon|uncordon|taint|set|label|annotate|autoscale|expose)$/.test(n)) f.reasons.add(`kubectl ${n} changes the cluster.`);
  },
  terraform: (args, _s, f) => { const n = subcommand(args).name; if (n && /^(apply|destroy|import|taint|state)$/.test(n)) f.reasons.add(`terraform ${n} changes infrastructure.`); },
  tofu: (args, _s, f) => { const n = subcommand(args).name; if (n && /^(apply|destroy|import|taint|state)$/.test(n)) f.reasons.add(`tofu ${n} changes infrastructure.`); },
  aws: (args, _s, f) => {
    const words = args.filter((a) => !a.startsWith('-'));
    if (words[0] === 's3' && /^(rm|mv|cp|sync|rb)$/.test(words[1] ?? '')) f.reasons.add(`aws s3 ${words[1]} changes S3 objects.`);
    else if (words[1] && /^(delete|put|create|update|terminate|modify|stop|reboot|remove|restore|start)-/.test(words[1])) f.reasons.add(`aws ${words[0]} ${words[1]} changes AWS resources.`);
  },
  gh: (args, _s, f) => {
    const [group, action] = args.filter((a) => !a.startsWith('-'));
    if ((group === 'pr' && /^(merge|close)$/.test(action ?? '')) || (group === 'release' && /^(create|delete|edit)$/.test(action ?? '')) || (group === 'repo' && action === 'delete') || (group === 'workflow' && action === 'run') || (group === 'secret' && /^(set|delete)$/.test(action ?? ''))) {
      f.reasons.add(`gh ${group} ${action} changes the repository.`);
    }
  },
  bash: (args, simple, f, depth) => shellRule('bash', args, simple, f, depth),
  sh: (args, simple, f, depth) => shellRule('sh', args, simple, f, depth),
  zsh: (args, simple, f, depth) => shellRule('zsh', args, simple, f, depth),
  dash: (args, simple, f, depth) => shellRule('dash', args, simple, f, depth),
  eval: (args, _s, f, depth) => analyseText(args.join(' '), f, depth + 1),
  ssh: (args, _s, f, depth) => {
    const withValue = new Set(['-i', '-p', '-l', '-o', '-F', '-J', '-L', '-R', '-D', '-E', '-b', '-c', '-m', '-O', '-Q', '-S', '-W', '-w', '-B', '-e', '-I']);
    let i = 0;
    while (i < args.length && args[i].startsWith('-')) i += withValue.has(args[i]) ? 2 : 1;
    const remote = args.slice(i + 1);
    if (remote.length > 0) analyseText(remote.join(' '), f, depth + 1);
  },
};

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
  if (/^(POST|PUT|PATCH|DELETE)$/.test(effective)) f.reasons.add(`The HTTP client sends a ${effective} request, which can change data on the server.`);
}

function flyRule(program: string, args: string[], f: Findings): void {
  const n = subcommand(args).name;
  if (n && /^(deploy|destroy|scale|secrets|releases)$/.test(n)) f.reasons.add(`${program} ${n} changes the app.`);
}

// Scripts whose names say they deploy or change shared state; `npm run build`, `npm test` stay safe.
const RISKY_SCRIPT = /(deploy|release|publish|rollback|migrat|seed|reset|drop|destroy)/i;
const PM_BUILTINS = new Set(['install', 'i', 'ci', 'add', 'remove', 'rm', 'uninstall', 'update', 'up', 'upgrade', 'test', 't', 'ls', 'list', 'outdated', 'audit', 'why', 'info', 'view', 'exec', 'dlx', 'create', 'init', 'link', 'pack', 'config', 'cache', 'version', 'login', 'logout', 'whoami', 'start', 'build', 'dev', 'x']);

function packageManager(program: string, args: string[], f: Findings): void {
  const { name, index } = subcommand(args, ['--prefix', '-C', '--dir', '--filter', '-F', '--workspace', '-w', '--cwd']);
  if (!name) return;
  if (/^(publish|unpublish|deprecate|dist-tag)$/.test(name)) { f.reasons.add(`${program} ${name} changes a published package.`); return; }
  const script = name === 'run' || name === 'run-script' ? args.slice(index + 1).find((a) => !a.startsWith('-')) : PM_BUILTINS.has(name) || program === 'npm' ? undefined : name;
  if (script && RISKY_SCRIPT.test(script)) f.reasons.add(`${program} ${name === 'run' || name === 'run-script' ? 'run ' : ''}${script} runs a script whose name says it deploys or changes shared state.`);
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

// Statements and functions that change data, schema, settings or sessions. Literals and comments are removed first.
const SQL_WRITE = /\b(insert|update|delete|merge|upsert|drop|alter|create|truncate|grant|revoke|comment\s+on|vacuum|reindex|cluster|refresh\s+materialized|copy\s+[\w."]+(?:\s*\([^)]*\))?\s+from|call|do|lock|security\s+label|import\s+foreign|pg_terminate_backend|pg_cancel_backend|pg_reload_conf|set_config|setval|nextval|lo_unlink|select\s+[^;]*\binto)\b|\\(copy\s+[\w."]+(?:\s*\([^)]*\))?\s+from|i|ir|include|!)(?=\s|$)/i;

/** The first SQL keyword that can change something, or undefined when the SQL only reads. */
export function sqlWriteKeyword(sql: string): string | undefined {
  const stripped = sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/"(?:[^"]|"")*"/g, '""');
  const m = SQL_WRITE.exec(stripped);
  if (!m) return undefined;
  return m[0].replace(/\s+/g, ' ').split(' ').slice(0, 2).join(' ').toUpperCase();
}
