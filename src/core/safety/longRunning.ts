// Commands that take long: most never end by themselves (followed logs, watchers, dev servers, interactive
// programs) and run in a terminal of their own while the rest of the block goes on; `supabase start` ends, only
// slowly, so the block waits for it.
import { basename, splitSimpleCommands, unwrapCommand, type SimpleCommand } from '../bash/simpleCommands';
import { parseSupabaseCommand } from '../supabase/supabaseCli';
import { sshRemoteCommand } from '../bash/sshArguments';

export function isLongRunning(command: string): boolean {
  return longRunningReason(command) !== undefined;
}

/** Why the command keeps running, or undefined when it should end on its own. */
export function longRunningReason(command: string): string | undefined {
  for (const simple of splitSimpleCommands(command)) {
    // `cmd &` returns at once: the shell does not wait for it.
    if (simple.terminator === '&') continue;
    const reason = reasonFor(simple);
    if (reason) return reason;
  }
  return undefined;
}

/** True when the command never ends by itself: it runs until stopped (Ctrl+C) or quit. */
export function runsUntilStopped(command: string): boolean {
  for (const simple of splitSimpleCommands(command)) {
    if (simple.terminator === '&') continue;
    const reason = reasonFor(simple);
    if (reason && reason !== SUPABASE_START) return true;
  }
  return false;
}

const SUPABASE_START = 'supabase start pulls and starts the local stack, which can take minutes.';
const DEV_SCRIPT = /^(dev|start|serve|watch|preview)(:|$)/;
const INTERACTIVE = new Set(['top', 'htop', 'btop', 'less', 'more', 'man', 'vi', 'vim', 'nvim', 'nano', 'emacs']);

function reasonFor(simple: SimpleCommand): string | undefined {
  if (simple.words[0] && basename(simple.words[0].value) === 'watch') return 'watch repeats the command until stopped.';
  const { argv } = unwrapCommand(simple.words);
  if (argv.length === 0) return undefined;
  const program = basename(argv[0]);
  const args = argv.slice(1);
  const follows = args.some(
    (a) => a === '--follow' || a.startsWith('--follow=') || /^-[A-Za-z0-9]*[fF][A-Za-z0-9]*$/.test(a),
  );

  if ((program === 'tail' || program === 'journalctl') && follows)
    return `${program} follows its output until stopped.`;
  if (args.includes('logs') || (args.includes('log') && program !== 'git')) {
    if (follows) return 'The logs are followed until stopped.';
    if (tailsForever(args)) return 'The logs are tailed until stopped.';
  }
  if (args.some((a) => a === '--watch' || (a === '-w' && /^(tsc|jest|vitest|esbuild|node|nodemon)$/.test(program))))
    return `${program} watches for changes until stopped.`;
  if (program === 'nodemon') return 'nodemon restarts the program until stopped.';

  if (program === 'supabase') {
    const parsed = parseSupabaseCommand(argv);
    const name = parsed?.path.slice(0, 2).join(' ');
    if (name === 'start') return SUPABASE_START;
    if (name === 'functions serve') return 'supabase functions serve keeps serving until stopped.';
    if ((name === 'logs' || name === 'functions logs') && tailsForever(args))
      return 'The logs are tailed until stopped.';
    // CLI 3's `supabase logs` opens an interactive viewer unless its output is piped or machine-readable.
    if (
      name === 'logs' &&
      !args.some((a) => a.startsWith('--output-format')) &&
      simple.terminator !== '|' &&
      simple.terminator !== '|&' &&
      !simple.redirections.some((r) => r.op.includes('>'))
    ) {
      return 'supabase logs opens an interactive log viewer (q quits).';
    }
    return undefined;
  }
  if (/^(npm|pnpm|yarn|bun)$/.test(program)) {
    const words = args.filter((a) => !a.startsWith('-'));
    const script = words[0] === 'run' || words[0] === 'run-script' ? words[1] : words[0];
    if (script && DEV_SCRIPT.test(script))
      return `${program} ${words[0] === script ? '' : 'run '}${script} starts a server that runs until stopped.`;
    return undefined;
  }
  if (program === 'deno' && args[0] === 'task' && DEV_SCRIPT.test(args[1] ?? ''))
    return `deno task ${args[1]} runs until stopped.`;
  if (
    (program === 'vite' && !['build', 'optimize'].includes(args[0] ?? '')) ||
    (program === 'next' && (args[0] === 'dev' || args[0] === 'start'))
  )
    return `${program} starts a server that runs until stopped.`;
  if (
    program === 'docker' &&
    args.includes('compose') &&
    args.includes('up') &&
    !args.some((a) => a === '-d' || a === '--detach')
  )
    return 'docker compose up runs in the foreground until stopped.';
  if (program === 'kubectl' && args.includes('port-forward')) return 'kubectl port-forward runs until stopped.';
  if (program === 'ping' && !args.some((a) => a === '-c' || /^-c\d+$/.test(a) || a === '-w'))
    return 'ping runs until stopped.';
  if (INTERACTIVE.has(program)) return `${program} is interactive.`;
  if (program === 'psql' && isInteractivePsql(args, simple))
    return 'psql without -c or -f opens an interactive session.';
  if (program === 'ssh' && sshRemoteCommand(args).length === 0)
    return 'ssh without a remote command opens an interactive session.';
  return undefined;
}

/** True when a `psql` of the command opens an interactive session, where the user types SQL. */
export function opensInteractivePsql(command: string): boolean {
  return splitSimpleCommands(command).some((simple) => {
    const { argv } = unwrapCommand(simple.words);
    return basename(argv[0] ?? '') === 'psql' && isInteractivePsql(argv.slice(1), simple);
  });
}

function isInteractivePsql(args: readonly string[], simple: SimpleCommand): boolean {
  return (
    !args.some(
      (a) => /^(-c|--command|-f|--file|-l|--list|--version|-V|--help|-\?)(=|$)/.test(a) || /^-[cf]./.test(a),
    ) &&
    !simple.pipedInto &&
    !simple.redirections.some((r) => r.op === '<' || r.op === '<<<' || r.hereDoc)
  );
}

// `--tail` with no count (heroku, runbooks written for old CLIs) follows; `--tail 100` or `--tail=100` does not.
function tailsForever(args: readonly string[]): boolean {
  const i = args.indexOf('--tail');
  if (i === -1) return false;
  const next = args[i + 1];
  return next === undefined || !/^\d+$/.test(next);
}
