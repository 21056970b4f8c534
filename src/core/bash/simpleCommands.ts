// A command line cut into simple commands (`a && b | c; d` gives four), each with its words, leading assignments,
// redirections and here-doc bodies. Risk, long-running detection and project targeting all look at these.
import { wrapperOptionsWithValue } from './wrapperOptions';
import {
  isAssignmentWord,
  tokenizeShell,
  type ControlOperator,
  type HereDocToken,
  type ShellToken,
  type WordToken,
} from './shellLexer';

export interface Redirection {
  op: string;
  target?: WordToken;
  hereDoc?: HereDocToken;
}

export interface SimpleCommand {
  /** The command name and its arguments; reserved words (`if`, `then`, `do`, `{` …) and assignments left out. */
  words: WordToken[];
  /** `NAME=value` words before the command name. */
  assignments: WordToken[];
  redirections: Redirection[];
  start: number;
  end: number;
  /** The control operator that ends this command; '' at the end of the text. */
  terminator: ControlOperator | '';
  /** True when the previous command pipes into this one. */
  pipedInto: boolean;
}

const LEADING_RESERVED = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', 'time']);
const CLOSING_RESERVED = new Set(['fi', 'done', 'esac', '}']);

export function splitSimpleCommands(text: string): SimpleCommand[] {
  return simpleCommandsOf(tokenizeShell(text).tokens);
}

/** splitSimpleCommands on tokens already lexed. */
export function simpleCommandsOf(tokens: readonly ShellToken[]): SimpleCommand[] {
  const commands: SimpleCommand[] = [];
  const awaitingBody: Redirection[] = [];
  let caseDepth = 0;
  let current: SimpleCommand | undefined;
  let pendingRedirect: Redirection | undefined;
  let previousTerminator: ControlOperator | '' = '';
  let dropCurrent = false;

  const open = (at: number): SimpleCommand => {
    current ??= {
      words: [],
      assignments: [],
      redirections: [],
      start: at,
      end: at,
      terminator: '',
      pipedInto: previousTerminator === '|' || previousTerminator === '|&',
    };
    return current;
  };
  const close = (terminator: ControlOperator | ''): void => {
    if (current) {
      current.terminator = terminator;
      // `for x in a b`, `case $x in` and case patterns (`a)`) are headers, not commands.
      const isCasePattern = caseDepth > 0 && terminator === ')';
      if (
        !dropCurrent &&
        !isCasePattern &&
        (current.words.length > 0 || current.assignments.length > 0 || current.redirections.length > 0)
      )
        commands.push(current);
    }
    current = undefined;
    dropCurrent = false;
    pendingRedirect = undefined;
    previousTerminator = terminator;
  };

  for (const token of tokens) {
    switch (token.kind) {
      case 'comment':
        break;
      case 'heredoc': {
        const target = awaitingBody.shift();
        if (target) target.hereDoc = token;
        break;
      }
      case 'operator':
        close(token.op);
        break;
      case 'redirect': {
        const cmd = open(token.start);
        pendingRedirect = { op: token.op };
        cmd.redirections.push(pendingRedirect);
        if (token.op === '<<' || token.op === '<<-') awaitingBody.push(pendingRedirect);
        cmd.end = token.end;
        break;
      }
      case 'word': {
        const cmd = open(token.start);
        cmd.end = token.end;
        if (pendingRedirect) {
          pendingRedirect.target = token;
          pendingRedirect = undefined;
          break;
        }
        if (cmd.words.length === 0 && !token.quoted) {
          if (cmd.assignments.length === 0 && LEADING_RESERVED.has(token.value)) {
            cmd.start = token.end;
            break;
          }
          if (cmd.assignments.length === 0 && CLOSING_RESERVED.has(token.value)) {
            if (token.value === 'esac') caseDepth = Math.max(0, caseDepth - 1);
            cmd.start = token.end;
            break;
          }
          if (token.value === 'for' || token.value === 'select' || token.value === 'function') {
            dropCurrent = true;
            break;
          }
          if (token.value === 'case') {
            caseDepth++;
            dropCurrent = true;
            break;
          }
          if (isAssignmentWord(token)) {
            cmd.assignments.push(token);
            break;
          }
        }
        cmd.words.push(token);
        break;
      }
    }
  }
  close('');
  return commands;
}

/**
 * How deep `$(…)` inside `$(…)` is followed when looking for `supabase` calls and the credentials a command needs.
 * The CLI checks (lens, Problems panel) and the run (targeting, stale commands, credentials) use the same depth, so
 * they agree about which nested calls exist.
 */
export const NESTED_COMMAND_DEPTH = 4;

/**
 * Visits every simple command of `text` and of the command substitutions (`$(…)`, backticks, `<(…)`) in its words,
 * assignments and redirection targets, in the order the shell runs them: a command's substitutions before the
 * command. `depth` is 0 for the commands of `text` itself (or `startDepth`), one more per substitution level; text
 * deeper than `maxDepth` is not read, and `tooDeep` is told so.
 */
export function walkSimpleCommands(
  text: string,
  visit: (simple: SimpleCommand, depth: number) => void,
  maxDepth: number,
  options: { startDepth?: number; tooDeep?: () => void } = {},
): void {
  const walk = (current: string, depth: number): void => {
    if (depth > maxDepth) {
      options.tooDeep?.();
      return;
    }
    for (const simple of splitSimpleCommands(current)) {
      const targets = simple.redirections.flatMap((r) => (r.target ? [r.target] : []));
      for (const word of [...simple.words, ...simple.assignments, ...targets])
        for (const inner of word.substitutions) walk(inner, depth + 1);
      visit(simple, depth);
    }
  };
  walk(text, options.startDepth ?? 0);
}

export function basename(program: string): string {
  const slash = program.lastIndexOf('/');
  return slash === -1 ? program : program.slice(slash + 1);
}

export interface UnwrappedCommand {
  /** The words of the command that really runs, as values. */
  argv: string[];
  /** Word tokens matching argv (same length). */
  tokens: WordToken[];
  /** Wrappers that were peeled off, outermost first: `sudo`, `env`, `npx` … */
  wrappers: string[];
}

const SIMPLE_WRAPPERS = new Set([
  'sudo',
  'doas',
  'env',
  'time',
  'nohup',
  'exec',
  'command',
  'builtin',
  'nice',
  'ionice',
  'stdbuf',
  'timeout',
  'watch',
  'xargs',
  'unbuffer',
  'caffeinate',
]);
const PACKAGE_RUNNERS = new Set(['npx', 'pnpx', 'bunx']);

/** Peels wrappers such as `sudo -u x`, `env A=b`, `timeout 30`, `xargs -n1`, `npx --yes` off a command. */
export function unwrapCommand(words: readonly WordToken[]): UnwrappedCommand {
  let rest = [...words];
  const wrappers: string[] = [];
  for (let guard = 0; guard < 16 && rest.length > 0; guard++) {
    const name = basename(rest[0].value);
    const twoWordRunner = (name === 'pnpm' || name === 'yarn') && rest[1]?.value === 'dlx';
    if (!SIMPLE_WRAPPERS.has(name) && !PACKAGE_RUNNERS.has(name) && !twoWordRunner) break;
    if (name === 'command' && rest[1] && /^-[vV]$/.test(rest[1].value)) break; // `command -v x` only looks x up
    wrappers.push(twoWordRunner ? `${name} dlx` : name);
    let i = twoWordRunner ? 2 : 1;
    const takesArgument = wrapperOptionsWithValue(name);
    while (i < rest.length) {
      const v = rest[i].value;
      if (v === '--') {
        i++;
        break;
      }
      if (name === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(v)) {
        i++;
        continue;
      }
      if (!v.startsWith('-') || v === '-') break;
      i += takesArgument.has(v) ? 2 : 1;
    }
    // `timeout 30s cmd`: the duration comes before the command.
    if (name === 'timeout' && rest[i] && /^\d/.test(rest[i].value)) i++;
    rest = rest.slice(i);
    if (PACKAGE_RUNNERS.has(name) || twoWordRunner) {
      // `npx supabase@2 db push` runs the `supabase` package.
      if (rest[0]) rest[0] = { ...rest[0], value: rest[0].value.replace(/^(@?[^@]+)@.*$/, '$1') };
    }
  }
  return { argv: rest.map((w) => w.value), tokens: rest, wrappers };
}
