// A shell fence cut into the commands a "Run" CodeLens sends to the terminal, the comments around them, and the
// numbered prose steps that some runbooks write inside bash fences (offered as a checklist, never run).
import type { Placeholder, Snippet } from '../model/types';
import { ShellLexer, tokenizeShell, type OpenConstruct } from './shellLexer';
import { isConsoleLanguage } from './shellLanguages';
import { bulletProse, commandInStep, looksLikePlainEnglish, numberedProse } from './proseLines';
import { simpleCommandsOf } from './simpleCommands';

export interface ShellCommand {
  /** What to send to the terminal: continuation lines and here-docs included, comments and prompts removed. */
  text: string;
  /** 0-based document line of the first and last line of the command. */
  line: number;
  endLine: number;
  /** Placeholders with their document line and their column in the snippet body line. */
  placeholders: Placeholder[];
  /** The first word of the command (after `NAME=value` assignments): `supabase`, `curl`, `git`, `npm` … */
  program: string;
  /** Set when the snippet ends before the command does (an unclosed quote or here-doc). */
  incomplete?: OpenConstruct;
}

export interface ProseStep {
  text: string;
  line: number;
  endLine: number;
  /** The number written before the step (`3.` gives 3); absent for bullets and plain sentences. */
  ordinal?: number;
  /**
   * Set when the step is really a command written as a list item (`1. supabase db push`): Run in Terminal skips it
   * like any step, but it can be run on its own.
   */
  command?: string;
}

export interface ShellComment {
  text: string;
  line: number;
}

export interface SplitShellSnippet {
  commands: ShellCommand[];
  proseSteps: ProseStep[];
  comments: ShellComment[];
  /**
   * Read as a transcript: only prompted lines (`$ cmd`, and `% cmd` in console and zsh fences) are commands, the
   * other lines are their output. Console fences always are; script fences are when any line carries a prompt.
   */
  transcript: boolean;
}

// A parsed runbook keeps its Snippet objects until the document changes, and lenses, the tree and the Problems panel
// all ask for the same snippet's split on every refresh: one split per Snippet object.
const splits = new WeakMap<Snippet, SplitShellSnippet>();

/** The split of a shell snippet, computed once per Snippet object (which never changes once parsed). Do not mutate it. */
export function splitOfSnippet(snippet: Snippet): SplitShellSnippet {
  let split = splits.get(snippet);
  if (!split) {
    split = splitShellSnippet(snippet.body, snippet.bodyStartLine, snippet.language);
    splits.set(snippet, split);
  }
  return split;
}

// One ShellCommand per numbered step, like the block's own commands, so that what is kept per command applies.
const stepCommands = new WeakMap<ProseStep, ShellCommand>();

/** The command on a document line: one of the block's commands, or a command written as a numbered step. */
export function commandAt(split: SplitShellSnippet, line: number): ShellCommand | undefined {
  // Commands, steps and comments are each in document order without overlap: a binary search finds the one on a
  // line, so that asking for every command of a large block stays linear.
  const command = split.commands[firstEndingAtOrAfter(split.commands, line)];
  if (command && command.line <= line) return command;
  const step = split.proseSteps[firstEndingAtOrAfter(split.proseSteps, line)];
  if (!step?.command || step.line > line) return undefined;
  let stepCommand = stepCommands.get(step);
  if (!stepCommand) {
    const placeholders = tokenizeShell(step.command)
      .placeholders.filter((p) => p.context !== 'comment')
      .map((p) => ({ name: p.name, line: step.line, column: p.start }));
    stepCommand = {
      text: step.command,
      line: step.line,
      endLine: step.endLine,
      placeholders,
      program: step.command.split(/\s+/)[0] ?? '',
    };
    stepCommands.set(step, stepCommand);
  }
  return stepCommand;
}

/** The comment lines right above the command starting on `line` (after the command before it), joined; undefined when there are none. */
export function commentAbove(split: SplitShellSnippet, line: number): string | undefined {
  const before = firstEndingAtOrAfter(split.commands, line) - 1;
  const previousEnd = before >= 0 ? split.commands[before].endLine : -1;
  const comments: string[] = [];
  for (let k = firstEndingAtOrAfter(split.comments, previousEnd + 1); k < split.comments.length; k++) {
    const comment = split.comments[k];
    if (comment.line >= line) break;
    const text = comment.text.trim();
    if (text) comments.push(text);
  }
  return comments.length ? comments.join(' ') : undefined;
}

/** Index of the first item (in document order, none overlapping) that ends on or after `line`; length if none. */
function firstEndingAtOrAfter(items: readonly { line: number; endLine?: number }[], line: number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    const item = items[middle];
    if ((item.endLine ?? item.line) < line) low = middle + 1;
    else high = middle;
  }
  return low;
}

interface FedLine {
  bodyIndex: number;
  offset: number;
  column: number;
  length: number;
}
interface PendingCommand {
  /** Holds the text fed so far (see ShellLexer.source). */
  lexer: ShellLexer;
  lines: FedLine[];
  /** Length of the text fed so far. */
  length: number;
}

// `$ cmd` (or a bare `$`); the prompt may be indented. zsh's default prompt ends in `%` instead.
const DOLLAR_PROMPT = /^(\s*\$)(?:\s|$)/;
const DOLLAR_OR_PERCENT_PROMPT = /^(\s*[$%])(?:\s|$)/;
// The secondary prompt bash prints on continuation lines.
const CONTINUATION_PROMPT = /^> ?/;

/**
 * Splits a shell fence body. `bodyStartLine` is the document line of the body's first line; `language` is the
 * fence's language (console-style fences only run the lines that carry a `$ ` prompt).
 */
export function splitShellSnippet(body: string, bodyStartLine: number, language = 'bash'): SplitShellSnippet {
  const lines = body.split('\n').map((l) => l.replace(/\r$/, ''));
  const lower = language.toLowerCase();
  const PROMPT = isConsoleLanguage(lower) || lower === 'zsh' ? DOLLAR_OR_PERCENT_PROMPT : DOLLAR_PROMPT;
  // A bash fence copied from a terminal (`$ supabase --version` then its output) reads like a console fence.
  const transcript = isConsoleLanguage(lower) || lines.some((l) => PROMPT.test(l) && !/^[$%]$/.test(l.trim()));
  const result: SplitShellSnippet = { commands: [], proseSteps: [], comments: [], transcript };
  let pending: PendingCommand | undefined;
  let inProseRun = false;

  const feed = (p: PendingCommand, bodyIndex: number, text: string, column: number): void => {
    p.lines.push({ bodyIndex, offset: p.length, column, length: text.length });
    p.lexer.feed(text + '\n');
    p.length += text.length + 1;
  };
  const emit = (p: PendingCommand, incomplete?: OpenConstruct): void => {
    const command = buildCommand(p, bodyStartLine, incomplete);
    if (command) result.commands.push(command);
    pending = undefined;
    inProseRun = false;
  };

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (pending) {
      let text = raw;
      let column = 0;
      const ps2 = transcript ? CONTINUATION_PROMPT.exec(raw) : null;
      if (ps2) {
        text = raw.slice(ps2[0].length);
        column = ps2[0].length;
      }
      feed(pending, i, text, column);
      if (!pending.lexer.openConstruct()) emit(pending);
      continue;
    }

    let text = raw;
    let column = 0;
    if (transcript) {
      const prompt = PROMPT.exec(raw);
      if (!prompt) continue; // output printed by the previous command
      column = Math.min(raw.length, prompt[1].length + 1);
      text = raw.slice(column);
    }
    const trimmed = text.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('#')) {
      result.comments.push({ text: trimmed.replace(/^#+!?\s?/, ''), line: bodyStartLine + i });
      continue;
    }
    if (!transcript) {
      const step = numberedProse(text) ?? bulletProse(text);
      if (step) {
        const command = commandInStep(step.text);
        result.proseSteps.push({
          text: step.text,
          line: bodyStartLine + i,
          endLine: bodyStartLine + i,
          ...(step.ordinal !== undefined ? { ordinal: step.ordinal } : {}),
          ...(command ? { command } : {}),
        });
        inProseRun = true;
        continue;
      }
      if (inProseRun && looksLikePlainEnglish(text)) {
        const previous = result.proseSteps[result.proseSteps.length - 1];
        // An indented sentence right under a step continues that step; otherwise it is a step of its own.
        if (/^\s/.test(text) && previous && previous.endLine === bodyStartLine + i - 1) {
          previous.text += ' ' + trimmed;
          previous.endLine = bodyStartLine + i;
        } else {
          result.proseSteps.push({ text: trimmed, line: bodyStartLine + i, endLine: bodyStartLine + i });
        }
        continue;
      }
    }
    pending = { lexer: new ShellLexer(), lines: [], length: 0 };
    feed(pending, i, text, column);
    if (!pending.lexer.openConstruct()) emit(pending);
  }
  if (pending) {
    const open = pending.lexer.openConstruct();
    pending.lexer.finish();
    emit(pending, open);
  }
  return result;
}

function buildCommand(
  p: PendingCommand,
  bodyStartLine: number,
  incomplete: OpenConstruct | undefined,
): ShellCommand | undefined {
  // Drop comments (a here-doc body never holds comment tokens), trailing blanks and the first line's indentation.
  const pieces: string[] = [];
  let at = 0;
  for (const token of p.lexer.tokens) {
    if (token.kind !== 'comment') continue;
    pieces.push(p.lexer.source(at, token.start));
    at = token.end;
  }
  pieces.push(p.lexer.source(at));
  const kept = pieces.join('').split('\n').map(trimTrailingBlanks);
  while (kept.length > 0 && kept[kept.length - 1] === '') kept.pop();
  const commandText = kept.join('\n').replace(/^[ \t]+/, '');
  if (commandText === '') return undefined;

  const first = p.lines[0];
  const last = p.lines[Math.max(1, Math.min(p.lines.length, kept.length)) - 1];
  const placeholders: Placeholder[] = [];
  for (const site of p.lexer.placeholders) {
    if (site.context === 'comment') continue;
    const fed = lineHolding(p.lines, site.start);
    if (fed)
      placeholders.push({
        name: site.name,
        line: bodyStartLine + fed.bodyIndex,
        column: fed.column + site.start - fed.offset,
      });
  }
  // The tokens already lexed: comments, indentation and trailing blanks change no word.
  const program = simpleCommandsOf(p.lexer.tokens)[0]?.words[0]?.value ?? '';
  return {
    text: commandText,
    line: bodyStartLine + first.bodyIndex,
    endLine: bodyStartLine + last.bodyIndex,
    placeholders,
    program,
    ...(incomplete ? { incomplete } : {}),
  };
}

/** The fed line that holds `offset` (lines are in offset order). */
function lineHolding(lines: readonly FedLine[], offset: number): FedLine | undefined {
  let low = 0;
  let high = lines.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (lines[middle].offset <= offset) low = middle;
    else high = middle - 1;
  }
  const line = lines[low];
  return line && offset >= line.offset && offset <= line.offset + line.length ? line : undefined;
}

// A regular expression such as /[ \t]+$/ retries at every blank of a long run that is not at the end: quadratic.
function trimTrailingBlanks(line: string): string {
  let end = line.length;
  while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t')) end--;
  return end === line.length ? line : line.slice(0, end);
}
