// Everything that reads a runbook's text: the model (markdown-it, the tables' schemas) and the problems `check` and
// the Problems panel report. The model worker runs it off the main thread; the extension loads it with import(), as
// a bundle of its own (dist/lazy/node.model.parseAndCheck.js), once the first runbook is read, so that activation
// never compiles it.
import { parseRunbook } from '../../core/model/parseRunbook';
import { checkRunbook, type Problem } from '../../core/check/checkRunbook';
import { STANDARD_CHECKERS } from '../../core/check/standardCheckers';
import type { Runbook } from '../../core/model/types';

export { parseRunbook };

export function parseAndCheck(text: string): { runbook: Runbook; problems: Problem[] } {
  const runbook = parseRunbook(text);
  return { runbook, problems: checkStandard(runbook, text) };
}

/** The problems of a model parsed earlier (a model built for the lenses, before the index keeps it). */
export function checkStandard(runbook: Runbook, text: string): Problem[] {
  return checkRunbook(runbook, text, STANDARD_CHECKERS);
}
