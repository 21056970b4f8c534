// The checks beyond structure that `runbook-companion check` and the Problems panel both run, so the two
// always report the same problems.
import type { ProblemChecker } from './checkRunbook';
import { findCliProblems } from '../supabase/cliProblems';
import { staleEndpointProblems } from '../health/staleEndpoints';

/**
 * Shell snippets the pinned Supabase CLI would not run as the runbook expects (stale commands and flags, …): the
 * headline in a few words, the full explanation as the detail. The copy leaves out `snippetIndex`, which
 * `runbook-companion check --json` would otherwise print with every problem.
 */
const cliProblems: ProblemChecker = (runbook) =>
  findCliProblems(runbook).map(({ line, severity, code, summary, message }) => ({
    line,
    severity,
    code,
    message: summary,
    detail: message,
  }));

/** Monitoring Endpoints rows the health panel has to probe another way (no storage root, a privileged REST root). */
const healthEndpointProblems: ProblemChecker = (runbook) => staleEndpointProblems(runbook);

export const STANDARD_CHECKERS: readonly ProblemChecker[] = [cliProblems, healthEndpointProblems];
