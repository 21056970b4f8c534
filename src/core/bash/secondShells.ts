// Where a command hands text to a second parser as code: `bash -c '…'`, `ssh host '…'`, `eval …`, `su -c`, `watch`,
// `trap`, a here-document or a pipe into `bash`, `python3 -c`, a variable such as GIT_SSH_COMMAND, and the same
// behind wrappers (`sudo`, `env`, `timeout`, `xargs`, `find -exec`, `docker exec`, `kubectl exec -- …`). The
// terminal's shell removes the quoting we put around a placeholder's value before that second parser reads it, so
// there the value is code again. The general rule: an argument, a here-document or a piped stream that a program
// gives to a shell (or another interpreter) to parse. Found from the command's syntax (our lexer's words,
// redirections and pipelines), with what each program does with its arguments written down here.
import { tokenizeShell, type WordToken } from './shellLexer';
import { SSH_OPTIONS_WITH_VALUE } from './sshArguments';
import { wrapperOptionsWithValue } from './wrapperOptions';
import { basename, NESTED_COMMAND_DEPTH, simpleCommandsOf, type SimpleCommand } from './simpleCommands';

/** Text (offsets into the command) that a second parser reads as code, and why. */
export interface CodeSpan {
  start: number;
  end: number;
  reason: string;
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'ash', 'yash', 'fish', 'rbash']);
// Shell options that take a value: `bash -o pipefail -c …`, `bash --rcfile f`.
const SHELL_OPTIONS_WITH_VALUE = new Set(['-o', '+o', '-O', '+O', '--rcfile', '--init-file']);
// Interpreters and the option whose value is a program.
const INTERPRETERS: Record<string, { options: string[]; language: string }> = {
  python: { options: ['-c'], language: 'Python' },
  python2: { options: ['-c'], language: 'Python' },
  python3: { options: ['-c'], language: 'Python' },
  perl: { options: ['-e', '-E'], language: 'Perl' },
  ruby: { options: ['-e'], language: 'Ruby' },
  node: { options: ['-e', '--eval', '-p', '--print'], language: 'JavaScript' },
  nodejs: { options: ['-e', '--eval', '-p', '--print'], language: 'JavaScript' },
  php: { options: ['-r'], language: 'PHP' },
};
const AWKS = new Set(['awk', 'gawk', 'mawk', 'nawk', 'busybox-awk']);
// Variables whose value a program runs with a shell (git, editors, pagers) or that bash itself expands as a
// prompt or startup file every time (PS1 runs $(…) at each prompt).
const CODE_VARIABLES = new Set([
  'GIT_SSH_COMMAND',
  'GIT_EDITOR',
  'GIT_PAGER',
  'GIT_SEQUENCE_EDITOR',
  'GIT_EXTERNAL_DIFF',
  'EDITOR',
  'VISUAL',
  'PAGER',
  'MANPAGER',
  'LESSOPEN',
  'PROMPT_COMMAND',
  'PS0',
  'PS1',
  'PS2',
  'PS4',
  'BASH_ENV',
  'ENV',
  'RSYNC_RSH',
  'SUDO_ASKPASS',
  'SSH_ASKPASS',
]);
// git configuration keys whose value git runs with a shell.
const GIT_CODE_KEYS =
  /^(core\.(sshcommand|pager|editor|fsmonitor|askpass)|sequence\.editor|diff\.external|credential\.helper|alias\..+|pager\..+|(diff|merge|filter)\..+\.(command|textconv|driver|clean|smudge|process)|gpg\.program)=/i;
// Programs that only pass their command on (after their own options): peeled to find the command that runs.
const PASS_ON = new Set(
  (
    'sudo doas env nice ionice timeout xargs stdbuf time nohup exec command builtin setsid unbuffer caffeinate ' +
    'chronic strace ltrace taskset chrt unshare nsenter flock chroot npx pnpx bunx'
  ).split(' '),
);
// Wrappers whose first operand is not the command: `timeout 30 cmd`, `flock file cmd`, `chroot dir cmd`.
const LEADING_OPERAND = new Set(['timeout', 'flock', 'chroot', 'taskset', 'chrt']);
const TMUX_SHELL_COMMANDS = new Set([
  'new-session',
  'new',
  'new-window',
  'neww',
  'split-window',
  'splitw',
  'respawn-pane',
  'respawnp',
  'respawn-window',
  'respawnw',
  'run-shell',
  'run',
  'send-keys',
  'send',
  'if-shell',
  'if',
  'pipe-pane',
  'pipep',
  'display-popup',
  'popup',
]);

/** The spans of `command` that a second parser reads as code. */
export function codeSpans(command: string): CodeSpan[] {
  const spans: CodeSpan[] = [];
  collect(command, 0, 0, spans);
  return spans;
}

function collect(text: string, base: number, depth: number, spans: CodeSpan[]): void {
  const commands = simpleCommandsOf(tokenizeShell(text).tokens);
  const add = (start: number, end: number, reason: string): void => {
    spans.push({ start: base + start, end: base + end, reason });
  };
  // The last pipeline stage already marked as printing a script: `a | sh | sh | …` marks each stage once.
  let markedThrough = -1;
  for (let i = 0; i < commands.length; i++) {
    const simple = commands[i];
    const targets = simple.redirections.flatMap((r) => (r.target ? [r.target] : []));
    for (const word of [...simple.words, ...simple.assignments, ...targets]) {
      word.substitutions.forEach((inner, k) => {
        const start = word.substitutionStarts[k];
        if (depth + 1 > NESTED_COMMAND_DEPTH) add(start, start + inner.length, 'it is nested too deeply to check');
        else collect(inner, base + start, depth + 1, spans);
      });
    }
    const stdin = analyse(simple, (word, reason) => add(word.start, word.end, reason));
    if (stdin === undefined) continue;
    // What the command reads from its input is the script: its here-documents and here-strings, and everything
    // that earlier commands of its pipeline print.
    for (const r of simple.redirections) {
      if (r.hereDoc) add(r.hereDoc.start, r.hereDoc.end, `the here-document is the script ${stdin} reads`);
      if (r.op === '<<<' && r.target) add(r.target.start, r.target.end, `the here-string is the script ${stdin} reads`);
    }
    for (let j = i; j > 0 && commands[j].pipedInto && j - 1 > markedThrough; j--) {
      const earlier = commands[j - 1];
      const reason = `what ${basename(earlier.words[0]?.value ?? 'the command')} prints is piped into ${stdin} as its script`;
      for (const word of earlier.words.slice(1)) add(word.start, word.end, reason);
      for (const r of earlier.redirections) {
        if (r.hereDoc) add(r.hereDoc.start, r.hereDoc.end, reason);
        if (r.op === '<<<' && r.target) add(r.target.start, r.target.end, reason);
      }
    }
    if (simple.pipedInto) markedThrough = i - 1;
  }
}

type Mark = (word: WordToken, reason: string) => void;

/**
 * Marks the words of one simple command that a second parser runs. Returns the name of the program that reads its
 * script from standard input (`bash` with no script, `ssh host` with no command), if any.
 */
function analyse(simple: SimpleCommand, mark: Mark): string | undefined {
  for (const word of [...simple.assignments, ...simple.words]) {
    const name = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(word.value)?.[1];
    if (name && CODE_VARIABLES.has(name)) mark(word, `${name} holds a command that is run by a shell`);
  }
  return analyseArgv(simple.words, mark, 0);
}

function analyseArgv(words: readonly WordToken[], mark: Mark, guard: number, inContainer = false): string | undefined {
  if (guard > 16 || words.length === 0) return undefined;
  const name = basename(words[0].value);
  const rest = words.slice(1);
  const markAll = (from: readonly WordToken[], reason: string): void => from.forEach((w) => mark(w, reason));

  if (SHELLS.has(name) || (name === 'busybox' && SHELLS.has(rest[0]?.value ?? ''))) {
    const args = name === 'busybox' ? rest.slice(1) : rest;
    const shell = name === 'busybox' ? `busybox ${rest[0].value}` : name;
    let i = 0;
    let runsArgument = false;
    let readsInput = false;
    for (; i < args.length; i++) {
      const v = args[i].value;
      if (v === '--' || v === '-') {
        i++;
        break;
      }
      if (SHELL_OPTIONS_WITH_VALUE.has(v)) {
        i++;
        continue;
      }
      if (!/^[-+]/.test(v)) break;
      if (/^-[A-Za-z]*c[A-Za-z]*$/.test(v)) runsArgument = true;
      if (/^-[A-Za-z]*s[A-Za-z]*$/.test(v)) readsInput = true;
    }
    if (runsArgument) {
      if (args[i]) mark(args[i], `${shell} -c runs its argument as a shell script`);
      return undefined;
    }
    const script = args[i];
    if (script && !readsInput) {
      // `bash <(…)`, `bash /dev/stdin`: the file it runs is made by the command line.
      if (script.substitutions.length > 0) mark(script, `${shell} runs the script that this substitution prints`);
      return undefined;
    }
    return shell;
  }
  const interpreter = INTERPRETERS[name] ?? INTERPRETERS[name.replace(/[\d.]+$/, '')];
  if (interpreter) {
    for (let i = 0; i < rest.length; i++) {
      const v = rest[i].value;
      if (interpreter.options.includes(v) && rest[i + 1]) {
        mark(rest[i + 1], `${name} ${v} runs its argument as ${interpreter.language} code`);
        return undefined;
      }
      const glued = interpreter.options.find((o) => o.length === 2 && v.startsWith(o) && v.length > 2);
      if (glued) {
        mark(rest[i], `${name} ${glued} runs its argument as ${interpreter.language} code`);
        return undefined;
      }
      if (!v.startsWith('-')) return undefined;
    }
    return undefined;
  }
  if (AWKS.has(name)) {
    // The first operand is the program, unless -f names a program file. awk's system() and pipes run shells.
    for (let i = 0; i < rest.length; i++) {
      const v = rest[i].value;
      if (v === '-f' || v.startsWith('--file')) return undefined;
      if (v === '-v' || v === '-F') {
        i++;
        continue;
      }
      if (v === '--') {
        if (rest[i + 1]) mark(rest[i + 1], `${name} runs its program, which can start shells`);
        return undefined;
      }
      if (!v.startsWith('-')) {
        mark(rest[i], `${name} runs its program, which can start shells`);
        return undefined;
      }
    }
    return undefined;
  }
  switch (name) {
    case 'eval':
      markAll(rest, 'eval runs its arguments as a command');
      return undefined;
    case 'trap': {
      const operands = rest[0]?.value === '--' ? rest.slice(1) : rest;
      if (operands.length >= 2 && !operands[0].value.startsWith('-'))
        mark(operands[0], 'trap runs its first argument as a command');
      return undefined;
    }
    case 'ssh':
    case 'autossh': {
      let i = 0;
      for (; i < rest.length; i++) {
        const v = rest[i].value;
        if (SSH_OPTIONS_WITH_VALUE.has(v)) i++;
        else if (!v.startsWith('-')) break;
      }
      const remote = rest.slice(i + 1);
      if (remote.length === 0) return i < rest.length ? 'ssh' : undefined;
      markAll(remote, 'ssh runs its command in the remote shell, which parses it again');
      return undefined;
    }
    case 'su':
    case 'runuser':
    case 'sg': {
      for (let i = 0; i < rest.length; i++) {
        const v = rest[i].value;
        // `runuser -u app -- cmd …` runs the command as given.
        if (v === '--' && name === 'runuser') return analyseArgv(rest.slice(i + 1), mark, guard + 1, inContainer);
        if ((v === '-c' || v === '--command' || v === '--session-command') && rest[i + 1]) {
          mark(rest[i + 1], `${name} -c runs its argument as a shell script`);
          return undefined;
        }
        if (/^--(session-)?command=/.test(v)) {
          mark(rest[i], `${name} --command runs its argument as a shell script`);
          return undefined;
        }
      }
      const operands = rest.filter((w) => !w.value.startsWith('-'));
      if (name === 'sg' && operands[1]) {
        markAll(operands.slice(1), 'sg runs its command with a shell');
        return undefined;
      }
      return name;
    }
    case 'script':
      for (let i = 0; i < rest.length; i++) {
        const v = rest[i].value;
        if ((v === '-c' || v === '--command' || /^-[a-z]*c$/.test(v)) && rest[i + 1]) {
          mark(rest[i + 1], 'script -c runs its argument with a shell');
          return undefined;
        }
      }
      return undefined;
    case 'watch': {
      let i = 0;
      let exec = false;
      for (; i < rest.length; i++) {
        const v = rest[i].value;
        if (v === '-x' || v === '--exec') exec = true;
        else if (v === '-n' || v === '--interval' || v === '-d' || v === '-q') i++;
        else if (!v.startsWith('-')) break;
      }
      if (exec) return analyseArgv(rest.slice(i), mark, guard + 1, inContainer);
      markAll(rest.slice(i), 'watch runs its command with sh -c');
      return undefined;
    }
    case 'parallel':
    case 'sem':
      markAll(rest, 'parallel runs its command with a shell');
      return undefined;
    case 'tmux': {
      const sub = rest.findIndex((w) => !w.value.startsWith('-'));
      if (sub !== -1 && TMUX_SHELL_COMMANDS.has(rest[sub].value))
        markAll(
          rest.slice(sub + 1).filter((w) => !w.value.startsWith('-')),
          'tmux runs it as a shell command',
        );
      return undefined;
    }
    case 'git':
      for (let i = 0; i < rest.length; i++) {
        const v = rest[i].value;
        if (v === '-c' && rest[i + 1] && GIT_CODE_KEYS.test(rest[i + 1].value))
          mark(rest[i + 1], `git runs the value of ${rest[i + 1].value.split('=')[0]} with a shell`);
        if ((v === '-x' || v === '--exec') && rest[i + 1]) mark(rest[i + 1], `git ${v} runs its argument with a shell`);
        if (v.startsWith('--exec=')) mark(rest[i], 'git --exec runs its argument with a shell');
      }
      return undefined;
    case 'find': {
      // find … -exec cmd … ; (or +): cmd runs as a command of its own.
      for (let i = 0; i < rest.length; i++) {
        if (!/^-(exec|execdir|ok|okdir)$/.test(rest[i].value)) continue;
        let end = i + 1;
        while (end < rest.length && rest[end].value !== ';' && rest[end].value !== '+') end++;
        analyseArgv(rest.slice(i + 1, end), mark, guard + 1, inContainer);
        i = end;
      }
      return undefined;
    }
    case 'npm':
    case 'pnpm':
    case 'yarn':
    case 'npx': {
      for (let i = 0; i < rest.length; i++) {
        const v = rest[i].value;
        if ((v === '-c' || v === '--call') && rest[i + 1]) {
          mark(rest[i + 1], `${name} ${v} runs its argument with a shell`);
          return undefined;
        }
        if (v.startsWith('--call=')) mark(rest[i], `${name} --call runs its argument with a shell`);
      }
      if (name !== 'npx') return undefined;
      break;
    }
    case 'docker':
    case 'podman':
    case 'nerdctl':
    case 'kubectl':
    case 'oc':
    case 'lxc':
    case 'incus':
    case 'machinectl':
      // A container command inside a container command is not searched again: no branching on branching.
      return inContainer ? undefined : containerCommand(name, rest, mark, guard);
    case 'sudo':
    case 'doas':
      if (rest.some((w) => /^(-[A-Za-z]*[si][A-Za-z]*|--shell|--login)$/.test(w.value))) {
        const operands = afterOptions(rest, wrapperOptionsWithValue(name));
        if (operands.length === 0) return `${name} -s`;
        markAll(operands, `${name} -s runs its arguments in a shell`);
        return undefined;
      }
      break;
    case 'env':
      for (let i = 0; i < rest.length; i++) {
        const v = rest[i].value;
        if ((v === '-S' || v === '--split-string') && rest[i + 1])
          mark(rest[i + 1], 'env -S splits its argument as a command line');
        if (v.startsWith('--split-string=') || (v.startsWith('-S') && v.length > 2))
          mark(rest[i], 'env -S splits its argument as a command line');
      }
      break;
    case 'flock':
      // `flock [options] file -c command`, or `flock [options] file command …` (whose own -c is not flock's).
      for (let i = 0, operands = 0; i < rest.length && operands < 2; i++) {
        const v = rest[i].value;
        if (!v.startsWith('-')) operands++;
        if ((v === '-c' || v === '--command') && rest[i + 1]) {
          mark(rest[i + 1], 'flock -c runs its argument with a shell');
          return undefined;
        }
      }
      break;
  }
  if (!PASS_ON.has(name)) return undefined;
  let operands = afterOptions(rest, wrapperOptionsWithValue(name), name === 'env');
  if (LEADING_OPERAND.has(name)) operands = operands.slice(1);
  return analyseArgv(operands, mark, guard + 1, inContainer);
}

/** The words after a program's options (and after `--`); `assignments` skips `NAME=value` too (env). */
function afterOptions(
  args: readonly WordToken[],
  withValue: ReadonlySet<string> = new Set(),
  assignments = false,
): WordToken[] {
  let i = 0;
  for (; i < args.length; i++) {
    const v = args[i].value;
    if (v === '--') return args.slice(i + 1);
    if (assignments && /^[A-Za-z_][A-Za-z0-9_]*=/.test(v)) continue;
    if (withValue.has(v)) {
      i++;
      continue;
    }
    if (!v.startsWith('-') || v === '-') break;
  }
  return args.slice(i);
}

// `docker exec [options] container cmd…`, `kubectl exec pod -- cmd…`: the command runs as given (no shell), so what
// matters is what it is. Options are too many to know, so every position after the subcommand that starts a
// command is tried: a shell there with -c, or reading its input, is found either way.
function containerCommand(name: string, args: readonly WordToken[], mark: Mark, guard: number): string | undefined {
  const dashes = args.findIndex((w) => w.value === '--');
  // A few positions are enough for a real command line; a pathological one is not read quadratically.
  const candidates = dashes !== -1 ? [dashes + 1] : args.map((_, i) => i).filter((i) => i > 0 && i <= 12);
  let stdin: string | undefined;
  for (const at of candidates) {
    const word = args[at];
    if (!word || word.value.startsWith('-')) continue;
    const found = analyseArgv(args.slice(at), mark, guard + 1, true);
    if (found && SHELLS.has(found) && args.slice(at + 1).every((w) => w.value.startsWith('-')))
      stdin = `${name} … ${found}`;
  }
  return stdin;
}
