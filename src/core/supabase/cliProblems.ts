// Problems of a runbook's shell snippets a reviewer (or `runbook-companion check`, or the Problems panel) should
// see before 3 a.m.: `supabase` subcommands and flags the pinned CLI does not have, hidden flags whose meaning differs
// from what the snippet's comment says, `--linked` where the linked project may not be the one meant, commands
// written as numbered steps (never run by Run in Terminal), and commands that never end.
import type { Runbook, Snippet } from '../model/types';
import { splitOfSnippet, type SplitShellSnippet } from '../bash/splitShellSnippet';
import { NESTED_COMMAND_DEPTH, unwrapCommand, walkSimpleCommands } from '../bash/simpleCommands';
import {
  describeSupabaseCommand,
  flagStatus,
  flagsUsed,
  namedProjectFlag,
  parseSupabaseCommand,
  type ParsedSupabaseCommand,
} from './supabaseCli';
import { SUPABASE_CLI_NAME as CLI } from './supabaseCommandTable';
import { describeOpenConstruct } from '../bash/openConstructs';

export type CliProblemCode =
  | 'cli-unknown-command'
  | 'cli-unknown-flag'
  | 'cli-hidden-flag'
  | 'cli-deprecated-flag'
  | 'cli-linked-target'
  | 'cli-nested-call'
  | 'shell-numbered-command'
  | 'shell-unfinished-command';

export interface CliProblem {
  /** 0-based document line of the command (its first line). */
  line: number;
  severity: 'error' | 'warning' | 'info';
  code: CliProblemCode;
  /** The problem in a few words, for the Problems panel. */
  summary: string;
  /** The whole explanation: why, and what to use instead. */
  message: string;
  /** Index of the snippet in `runbook.snippets`. */
  snippetIndex: number;
}

// Words that name an environment: a comment that says one expects that project, not whichever is linked.
const ENVIRONMENT_WORDS = /\b(staging|stage|production|prod|preview|development|dev|qa|test(ing)?|live)\b/i;

/** Every problem of every shell snippet, in document order. */
export function findCliProblems(runbook: Runbook): CliProblem[] {
  const problems: CliProblem[] = [];
  for (const snippet of runbook.snippets) {
    if (snippet.category !== 'shell') continue;
    problems.push(...snippetCliProblems(snippet));
  }
  return problems.sort((a, b) => a.line - b.line);
}

// The lenses and the Problems panel both ask on every refresh; a Snippet object never changes once parsed.
const cache = new WeakMap<Snippet, readonly CliProblem[]>();

/** The problems of one shell snippet, worked out once per Snippet object. */
export function snippetCliProblems(snippet: Snippet): readonly CliProblem[] {
  let problems = cache.get(snippet);
  if (!problems) {
    problems = computeCliProblems(snippet);
    cache.set(snippet, problems);
  }
  return problems;
}

function computeCliProblems(snippet: Snippet): CliProblem[] {
  const split = splitOfSnippet(snippet);
  const problems: CliProblem[] = [];
  const add = (
    line: number,
    severity: CliProblem['severity'],
    code: CliProblemCode,
    summary: string,
    message: string,
  ) => problems.push({ line, severity, code, summary, message, snippetIndex: snippet.index });

  for (const step of split.proseSteps) {
    if (!step.command) continue;
    add(
      step.line,
      'warning',
      'shell-numbered-command',
      'A command written as a numbered step',
      `\`${step.command}\` is written as a list item${step.ordinal !== undefined ? ` (step ${step.ordinal})` : ''}, so Run in Terminal leaves it out; it is offered with its own Run and in the checklist. Remove the number to make it part of the block.`,
    );
  }
  const commentsAbove = commentsAboveEachCommand(split);
  for (const [k, command] of split.commands.entries()) {
    if (command.incomplete) {
      add(
        command.line,
        'error',
        'shell-unfinished-command',
        'Unfinished command: it will not run',
        `The command is not finished: ${describeOpenConstruct(command.incomplete)}. Run, it would leave the shell waiting for the rest, so the extension refuses to send it.`,
      );
      continue;
    }
    const context = commentsAbove[k] ?? snippet.label;
    // The same walk as the run's (stale commands, targeting): a nested call the run warns about is flagged here too.
    walkSimpleCommands(
      command.text,
      (simple, depth) => {
        const parsed = parseSupabaseCommand(unwrapCommand(simple.words).argv);
        if (!parsed) return;
        if (depth > 0)
          add(
            command.line,
            'warning',
            'cli-nested-call',
            `\`${describeSupabaseCommand(parsed)}\` inside $(…) is not pointed at a project`,
            `\`${describeSupabaseCommand(parsed)}\` inside $(…) is run by whichever CLI is on PATH and is not pointed at the selected project; the extension cannot check where it goes.`,
          );
        for (const p of supabaseProblems(parsed, context)) add(command.line, p.severity, p.code, p.summary, p.message);
      },
      NESTED_COMMAND_DEPTH,
    );
  }
  return problems;
}

/**
 * For each command, the comment lines between it and the command before it, joined (undefined when there are none):
 * what `commentAbove` gives for one command, for all of them in one pass over commands and comments (both in line
 * order), where asking per command rescanned the block each time.
 */
function commentsAboveEachCommand(split: SplitShellSnippet): Array<string | undefined> {
  const result: Array<string | undefined> = [];
  let next = 0;
  let previousEnd = -1;
  for (const command of split.commands) {
    while (next < split.comments.length && split.comments[next].line <= previousEnd) next++;
    const texts: string[] = [];
    while (next < split.comments.length && split.comments[next].line < command.line) {
      const text = split.comments[next++].text.trim();
      if (text) texts.push(text);
    }
    result.push(texts.length ? texts.join(' ') : undefined);
    previousEnd = Math.max(previousEnd, command.endLine);
  }
  return result;
}

interface Finding {
  severity: CliProblem['severity'];
  code: CliProblemCode;
  summary: string;
  message: string;
}

function supabaseProblems(parsed: ParsedSupabaseCommand, context: string): Finding[] {
  if (parsed.unknown) {
    // A removed command is named by its group (`supabase functions logs`, `supabase db remote`), not its arguments.
    const written = parsed.gone
      ? `\`supabase ${parsed.path.slice(0, 2).join(' ')}\``
      : `\`${describeSupabaseCommand(parsed)}\``;
    const summary = parsed.gone ? `${written} no longer exists in ${CLI}` : `${written} is not a command of ${CLI}`;
    return [{ severity: 'error', code: 'cli-unknown-command', summary, message: parsed.unknown }];
  }
  if (!parsed.spec) return [];
  const findings: Finding[] = [];
  const name = describeSupabaseCommand(parsed);
  for (const flag of new Set(flagsUsed(parsed))) {
    const status = flagStatus(parsed, flag);
    if (status.kind === 'unknown') {
      const linkedHint =
        flag === '--linked' && parsed.spec.target === 'remote-only'
          ? ' It uses the linked project without any flag; --remote=<ref> names another.'
          : '';
      findings.push({
        severity: 'error',
        code: 'cli-unknown-flag',
        summary: `\`${flag}\` is not a flag of \`${name}\``,
        message: `\`${flag}\` is not a flag of \`${name}\` in ${CLI}: it stops with "Unrecognized flag".${linkedHint}`,
      });
    } else if (status.kind === 'hidden' && status.flag.replacement) {
      const message =
        flag === '--local'
          ? `\`--local\` isn't needed in ${CLI} (the local database is the default) and will be removed in v4.`
          : `\`${flag}\` is deprecated in ${CLI} and will be removed in v4: use \`${status.flag.replacement}\`.`;
      findings.push({ severity: 'info', code: 'cli-deprecated-flag', summary: `\`${flag}\` is deprecated`, message });
    } else if (status.kind === 'hidden') {
      const misread = status.flag.misreadAs?.test(context) ?? false;
      const meaning = `\`${flag}\` is a hidden flag of \`${name}\` that the CLI describes as "${status.flag.meaning}"${status.flag.effect ? `: ${status.flag.effect}` : ''}.`;
      findings.push(
        misread
          ? {
              severity: 'warning',
              code: 'cli-hidden-flag',
              summary: `\`${flag}\` does not do what the comment says`,
              message: `${meaning} It does not do what the comment "${context}" suggests. To go back to an earlier version, check that version out and deploy it.`,
            }
          : {
              severity: 'info',
              code: 'cli-hidden-flag',
              summary: `\`${flag}\` is a hidden flag`,
              message: `${meaning} \`${name} --help\` does not list it.`,
            },
      );
    }
  }
  const named = namedProjectFlag(parsed);
  if (
    named &&
    named.value === undefined &&
    (named.flag === '--linked' || named.flag === '--remote') &&
    parsed.spec.target === 'local-or-remote'
  ) {
    const environment = ENVIRONMENT_WORDS.exec(context)?.[0];
    const writes =
      parsed.spec.changes !== undefined &&
      !(parsed.spec.previewFlag && flagsUsed(parsed).includes(parsed.spec.previewFlag));
    if (environment || writes) {
      const why = environment ? `, whatever the comment "${context}" says` : '';
      findings.push({
        severity: 'warning',
        code: 'cli-linked-target',
        summary: `\`${named.flag}\` goes to whichever project is linked`,
        message: `\`${name} ${named.flag}\` reaches whichever project \`supabase link\` last recorded in this checkout${why}. Name the project with \`--remote=<ref>\`, or check supabase/.temp/project-ref first.`,
      });
    }
  }
  return findings;
}
