// What the outcome lens of a shell snippet says about its last run: "$(pass) exit 0 · 1.2 s", "terminal closed" …
import type { SnippetRunState } from './shellSnippetRunner';
import { formatMs } from '../../core/tables/quantity';

export function outcomeTitle(state: Pick<SnippetRunState, 'status' | 'results'>): string {
  const last = state.results[state.results.length - 1];
  const total = state.results.reduce((n, r) => n + r.durationMs, 0);
  if (state.status === 'closed') return '$(circle-slash) terminal closed · outcome unknown';
  if (state.status === 'stopped')
    return `$(debug-stop) stopped${last.exitCode !== undefined ? ` · exit ${last.exitCode}` : ''}`;
  if (last.ending === 'not-started') return '$(question) not started · outcome unknown';
  if (last.exitCode === undefined) return '$(question) exit code unknown';
  return last.exitCode === 0
    ? `$(pass) exit 0 · ${formatMs(total)}`
    : `$(error) exit ${last.exitCode} · ${formatMs(total)}`;
}
