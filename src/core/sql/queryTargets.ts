// Judges a query's duration by the runbook's own "Database Query Targets" table.
import type { DatabaseQueryTarget, TypedTable } from '../tables/typedTableTypes';
import { formatMs, quantityMs } from '../tables/quantity';

export type QueryShape = 'Simple SELECT' | 'Complex JOIN' | 'Full-text search' | 'Aggregations';

/** A rough shape of the statement, matching the row names the runbook uses. */
export function queryShape(sql: string): QueryShape {
  const s = sql
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/--[^\n]*/g, '')
    .toLowerCase();
  if (/@@|to_tsvector|to_tsquery|plainto_tsquery|websearch_to_tsquery|\bilike\b/.test(s)) return 'Full-text search';
  if (/\bgroup\s+by\b|\b(count|sum|avg|min|max|array_agg|string_agg|percentile_cont)\s*\(/.test(s))
    return 'Aggregations';
  if (/\bjoin\b/.test(s)) return 'Complex JOIN';
  return 'Simple SELECT';
}

export interface TargetVerdict {
  text: string;
  status: 'within-target' | 'over-target' | 'over-alert';
}

export function judgeDuration(
  sql: string,
  durationMs: number,
  targets: TypedTable<DatabaseQueryTarget> | undefined,
): TargetVerdict | undefined {
  if (!targets) return undefined;
  const shape = queryShape(sql);
  const row = targets.rows.find((r) => r.queryType.toLowerCase() === shape.toLowerCase());
  if (!row) return undefined;
  const target = quantityMs(row.target);
  const alert = quantityMs(row.alertThreshold);
  const status =
    alert !== undefined && durationMs > alert
      ? 'over-alert'
      : target !== undefined && durationMs > target
        ? 'over-target'
        : 'within-target';
  return {
    text: `${row.queryType}: ${formatMs(durationMs)}, target ${row.target.text}${status === 'over-alert' ? `, alert ${row.alertThreshold.text}` : ''}`,
    status,
  };
}
