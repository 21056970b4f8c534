// Real Edge Function traffic of the last minutes, from the project's logs (Management API logs.all): one row per
// invocation in function_edge_logs, unnested the way Supabase's logs documentation queries it (BigQuery dialect),
// then counted and turned into percentiles here, so the same code judges logs and probes.
import type { FunctionTraffic, TrafficObservation } from '../../core/health/judgeTraffic';
import { percentilesOf } from '../../core/health/slidingWindow';
import type { ManagementApiClient } from './managementApiClient';

/** Invocations read per poll: enough for percentiles, small enough for one answer. */
export const TRAFFIC_ROW_LIMIT = 1000;

export const FUNCTION_TRAFFIC_SQL = `select function_edge_logs.timestamp, m.function_id, m.execution_time_ms, response.status_code, request.pathname
from function_edge_logs
  cross join unnest(metadata) as m
  cross join unnest(m.response) as response
  cross join unnest(m.request) as request
order by timestamp desc
limit ${TRAFFIC_ROW_LIMIT}`;

interface InvocationRow {
  function_id?: unknown;
  execution_time_ms?: unknown;
  status_code?: unknown;
  pathname?: unknown;
}

export async function readFunctionTraffic(
  client: ManagementApiClient,
  ref: string,
  end: Date,
  windowMs: number,
): Promise<TrafficObservation> {
  const answer = await client.logs(ref, {
    sql: FUNCTION_TRAFFIC_SQL,
    start: new Date(end.getTime() - windowMs),
    end,
  });
  return summariseInvocations((answer.result ?? []) as InvocationRow[], windowMs);
}

export function summariseInvocations(rows: readonly InvocationRow[], windowMs: number): TrafficObservation {
  const all: number[] = [];
  let errors = 0;
  const byName = new Map<string, { requests: number; errors: number; latencies: number[] }>();
  for (const row of rows) {
    const status = Number(row.status_code);
    const ms = Number(row.execution_time_ms);
    const name = functionName(row);
    const entry = byName.get(name) ?? { requests: 0, errors: 0, latencies: [] };
    byName.set(name, entry);
    entry.requests++;
    if (status >= 500) {
      errors++;
      entry.errors++;
    }
    if (Number.isFinite(ms)) {
      all.push(ms);
      entry.latencies.push(ms);
    }
  }
  const byFunction: FunctionTraffic[] = [...byName].map(([name, e]) => {
    const fn: FunctionTraffic = { name, requests: e.requests, errors: e.errors };
    const p = percentilesOf(e.latencies);
    if (p) fn.percentiles = p;
    return fn;
  });
  const observation: TrafficObservation = { source: 'logs', windowMs, requests: rows.length, errors, byFunction };
  const p = percentilesOf(all);
  if (p) observation.percentiles = p;
  return observation;
}

/** The function's slug from the request path (/functions/v1/<slug>), else its id. */
function functionName(row: InvocationRow): string {
  const path = typeof row.pathname === 'string' ? row.pathname : '';
  const slug = /\/functions\/v1\/([^/?]+)/.exec(path)?.[1] ?? /^\/([^/?]+)/.exec(path)?.[1];
  return slug ?? (typeof row.function_id === 'string' ? row.function_id : 'unknown');
}
