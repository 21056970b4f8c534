// The one way a duration reads to a person: Query Results, lenses, status bar, query targets and the CLI all
// print it with this. Pure (no DOM, no Node), so core, node, vscode and the webview bundles import it alike.

/** "< 0.01 ms", "0.42 ms", "4 ms", "1.23 s", "12.5 s", "1.5 min", "2 h", "3 days". */
export function formatDuration(ms: number): string {
  // A clock read twice can step back a little; a negative or broken duration reads as the shortest.
  if (!Number.isFinite(ms) || ms < 0.005) return '< 0.01 ms';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1).replace(/\.?0+$/, '')} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1).replace(/\.0$/, '')} min`;
  if (ms < 86_400_000) return `${(ms / 3_600_000).toFixed(1).replace(/\.0$/, '')} h`;
  return `${(ms / 86_400_000).toFixed(1).replace(/\.0$/, '')} days`;
}
