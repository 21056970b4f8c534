// A runbook's model and the problems `check` and the Problems panel report, in one step: what the model worker does
// off the main thread, and what the extension does in place for small runbooks.
import { parseRunbook } from '../../core/model/parseRunbook';
import { checkRunbook, type Problem } from '../../core/check/checkRunbook';
import { STANDARD_CHECKERS } from '../../core/check/standardCheckers';
import type { Runbook } from '../../core/model/types';

export function parseAndCheck(text: string): { runbook: Runbook; problems: Problem[] } {
  const runbook = parseRunbook(text);
  return { runbook, problems: checkRunbook(runbook, text, STANDARD_CHECKERS) };
}
