// Why a command of a runbook is not finished, in words: sent as is, it would leave the shell waiting at its `>`
// prompt for the rest, and every later command would be typed into that wait.
import type { OpenConstruct } from './shellLexer';

const REASONS: Record<OpenConstruct, string> = {
  'single-quote': "a single quote (') is never closed",
  'double-quote': 'a double quote (") is never closed',
  'ansi-quote': "a $'…' string is never closed",
  backtick: 'a backtick (`) is never closed',
  'command-substitution': 'a $( … ) is never closed',
  'parameter-expansion': 'a ${ … } is never closed',
  arithmetic: 'a $(( … )) is never closed',
  'here-doc': 'a here-document never reaches its closing delimiter line',
  'line-continuation': 'the last line ends with a backslash',
  operator: 'it ends with an operator such as &&, || or |',
  redirect: 'a redirection (>, <) has no file',
  block: 'an if, for, while, case or { … } block is never closed',
};

export function describeOpenConstruct(open: OpenConstruct): string {
  return REASONS[open];
}

/** "Line 12: this command is not finished (…), so it was not sent: …" */
export function unfinishedCommandMessage(line: number, open: OpenConstruct): string {
  return `Line ${line + 1}: the command is not finished (${REASONS[open]}). Sent to a terminal it would leave the shell waiting at its ">" prompt, so it is not run; fix the runbook at that line.`;
}
