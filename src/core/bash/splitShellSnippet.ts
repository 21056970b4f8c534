// A shell fence cut into the commands a "Run" CodeLens sends to the terminal, the comments around them, and the
// numbered prose steps that some runbooks write inside bash fences (offered as a checklist, never run).
import type { Placeholder, Snippet } from '../model/types';
import { ShellLexer, tokenizeShell, type OpenConstruct } from './shellLexer';
import { isConsoleLanguage } from './shellLanguages';
import { bulletProse, commandInStep, looksLikePlainEnglish, numberedProse } from './proseLines';
import { splitSimpleCommands } from './simpleCommands';

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
  const command = split.commands.find((c) => line >= c.line && line <= c.endLine);
  if (command) return command;
  const step = split.proseSteps.find((s) => s.command && line >= s.line && line <= s.endLine);
  if (!step?.command) return undefined;
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
  const previousEnd = Math.max(-1, ...split.commands.filter((c) => c.endLine < line).map((c) => c.endLine));
  const comments = split.comments
    .filter((c) => c.line > previousEnd && c.line < line)
    .map((c) => c.text.trim())
    .filter(Boolean);
  return comments.length ? comments.join(' ') : undefined;
}

interface FedLine {
  bodyIndex: number;
  offset: number;
  column: number;
  length: number;
}
interface PendingCommand {
  lexer: ShellLexer;
  lines: FedLine[];
  text: string;
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
    p.lines.push({ bodyIndex, offset: p.text.length, column, length: text.length });
    p.lexer.feed(text + '\n');
    p.text += text + '\n';
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
    pending = { lexer: new ShellLexer(), lines: [], text: '' };
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
  let text = p.text;
  const comments = p.lexer.tokens.filter((t) => t.kind === 'comment');
  for (let k = comments.length - 1; k >= 0; k--) text = text.slice(0, comments[k].start) + text.slice(comments[k].end);
  const kept = text.split('\n').map((l) => l.replace(/[ \t]+$/, ''));
  while (kept.length > 0 && kept[kept.length - 1] === '') kept.pop();
  const commandText = kept.join('\n').replace(/^[ \t]+/, '');
  if (commandText === '') return undefined;

  const first = p.lines[0];
  const last = p.lines[Math.max(1, Math.min(p.lines.length, kept.length)) - 1];
  const placeholders: Placeholder[] = [];
  for (const site of p.lexer.placeholders) {
    if (site.context === 'comment') continue;
    const fed = p.lines.find((l) => site.start >= l.offset && site.start <= l.offset + l.length);
    if (fed)
      placeholders.push({
        name: site.name,
        line: bodyStartLine + fed.bodyIndex,
        column: fed.column + site.start - fed.offset,
      });
  }
  const program = splitSimpleCommands(commandText)[0]?.words[0]?.value ?? '';
  return {
    text: commandText,
    line: bodyStartLine + first.bodyIndex,
    endLine: bodyStartLine + last.bodyIndex,
    placeholders,
    program,
    ...(incomplete ? { incomplete } : {}),
  };
}
