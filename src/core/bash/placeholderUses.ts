// How a command uses each of its placeholders, beyond the quoting context: whether a second shell parses the value
// again (see secondShells), and whether the value starts a word where the command reads options, so that a value
// such as `-oFILE` (`sort -oFILE` writes FILE) or `--output=FILE` (`git log --output=FILE`) would be an option.
import { tokenizeShell, type PlaceholderSite, type WordToken } from './shellLexer';
import { basename, NESTED_COMMAND_DEPTH, simpleCommandsOf, unwrapCommand } from './simpleCommands';
import { codeSpans, type CodeSpan } from './secondShells';

export interface PlaceholderUse {
  site: PlaceholderSite;
  /** Why a second shell (or interpreter) parses the value again: "bash -c runs its argument as a shell script". */
  secondShell?: string;
  /** The command that may read the value as an option when it starts with "-". */
  optionOf?: string;
}

/** Values that mean the same to every shell, in every quoting context: letters, digits and `._:/@+-`. */
export const INERT_VALUE = /^[A-Za-z0-9._:/@+-]+$/;
export const INERT_CHARACTERS = 'letters, digits and . _ : / @ + -';

export function isInertValue(value: string): boolean {
  return INERT_VALUE.test(value);
}

/** The characters of `value` that are not inert, quoted for a message: `" ", "$", "("`. */
export function nonInertCharacters(value: string): string {
  const found = [...new Set([...value].filter((c) => !INERT_VALUE.test(c)))];
  const shown = found.slice(0, 5).map((c) => (c === ' ' ? 'a space' : JSON.stringify(c)));
  return shown.join(', ') + (found.length > 5 ? ', …' : '');
}

// Programs that run another command after their own `--` (`kubectl exec pod -- sort x`): their `--` ends only their
// options, not those of the command they run.
const RUN_OTHER_COMMANDS = new Set([
  'kubectl',
  'oc',
  'docker',
  'podman',
  'nerdctl',
  'ssh',
  'su',
  'runuser',
  'sudo',
  'doas',
  'env',
  'xargs',
  'timeout',
  'nice',
  'nohup',
  'flock',
  'chroot',
  'nsenter',
  'unshare',
  'setsid',
  'strace',
  'watch',
  'parallel',
  'npx',
  'pnpx',
  'bunx',
  'npm',
  'pnpm',
  'yarn',
  'time',
  'exec',
  'script',
  'tmux',
]);

/** Every placeholder of `command` (comments left out), in order, with how the command uses it. */
export function placeholderUses(command: string): PlaceholderUse[] {
  const sites = tokenizeShell(command).placeholders.filter((s) => s.context !== 'comment');
  if (sites.length === 0) return [];
  const spans = disjoint(codeSpans(command));
  const options = optionPositions(command, new Map(sites.map((s) => [s.start, s])));
  return sites.map((site) => {
    const span = spanHolding(spans, site.start);
    const optionOf = options.get(site.start) ?? (span ? 'the command the second shell runs' : undefined);
    return { site, ...(span ? { secondShell: span.reason } : {}), ...(optionOf ? { optionOf } : {}) };
  });
}

// Code spans nest (a substitution inside `bash -c "…"`) and touch (the words of `eval a b`): merged into disjoint
// spans in offset order, each with the reason of its outermost part, so that each placeholder is looked up by binary
// search (a long `eval` line with a placeholder in every word stays linear).
function disjoint(spans: readonly CodeSpan[]): CodeSpan[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: CodeSpan[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span.start < last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

function spanHolding(spans: readonly CodeSpan[], offset: number): CodeSpan | undefined {
  let low = 0;
  let high = spans.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (spans[middle].end <= offset) low = middle + 1;
    else if (spans[middle].start > offset) high = middle - 1;
    else return spans[middle];
  }
  return undefined;
}

/** The uses of placeholder `name` in each of `commands`. */
export function placeholderUsesIn(name: string, commands: readonly string[]): PlaceholderUse[] {
  return commands.flatMap((c) =>
    c.includes(`<${name}>`) ? placeholderUses(c).filter((u) => u.site.name === name) : [],
  );
}

/**
 * Why the values would be read as options: one line per placeholder whose value starts with "-" where its command
 * reads options. The planner asks before such a command runs.
 */
export function optionRisks(command: string, values: Readonly<Record<string, string>>): string[] {
  const reasons = new Set<string>();
  for (const use of placeholderUses(command)) {
    const value = Object.prototype.hasOwnProperty.call(values, use.site.name) ? values[use.site.name] : undefined;
    if (!use.optionOf || value === undefined || !value.startsWith('-')) continue;
    reasons.add(optionRiskMessage(use.site.name, value, use.optionOf));
  }
  return [...reasons];
}

export function optionRiskMessage(name: string, value: string, command: string): string {
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return `<${name}> is "${shown}", which starts with "-": ${command} may read it as an option, and options can write files or run commands (sort -o, git log --output).`;
}

// Offsets of the placeholders that start a word where a command reads options: after the command name, with no
// `--` before them that ends the options of the command they are given to.
function optionPositions(command: string, sitesByStart: ReadonlyMap<number, PlaceholderSite>): Map<number, string> {
  const found = new Map<number, string>();
  const walk = (text: string, base: number, depth: number): void => {
    if (depth > NESTED_COMMAND_DEPTH) return;
    for (const simple of simpleCommandsOf(tokenizeShell(text).tokens)) {
      const targets = simple.redirections.flatMap((r) => (r.target ? [r.target] : []));
      for (const word of [...simple.words, ...simple.assignments, ...targets])
        word.substitutions.forEach((inner, k) => walk(inner, base + word.substitutionStarts[k], depth + 1));
      // The command that really runs (after sudo, env, timeout …) is the last words of the simple command.
      const { tokens } = unwrapCommand(simple.words);
      const programAt = simple.words.length - tokens.length;
      const program = tokens.length > 0 ? basename(tokens[0].value) : '';
      const honoursDashes = !RUN_OTHER_COMMANDS.has(program);
      let wrapperDashes = false;
      let programDashes = false;
      simple.words.forEach((word, index) => {
        if (index === 0) return;
        const site = siteStarting(word, base, sitesByStart);
        const ofProgram = index > programAt && tokens.length > 0;
        if (site && !(ofProgram ? honoursDashes && programDashes : wrapperDashes))
          found.set(site.start, ofProgram ? program : basename(simple.words[0].value));
        if (word.value === '--') {
          if (ofProgram) programDashes = true;
          else wrapperDashes = true;
        }
      });
    }
  };
  walk(command, 0, 0);
  return found;
}

/** The placeholder the word starts with, if any: `<x>`, `'<x>…'`, `"<x>…"`, `$'<x>…'`. */
function siteStarting(
  word: WordToken,
  base: number,
  sitesByStart: ReadonlyMap<number, PlaceholderSite>,
): PlaceholderSite | undefined {
  const start = base + word.start;
  const opening = /^(\$?['"])/.exec(word.raw)?.[1].length ?? 0;
  return sitesByStart.get(start) ?? (opening ? sitesByStart.get(start + opening) : undefined);
}
