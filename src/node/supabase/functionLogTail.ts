// Tails an Edge Function's logs through the Management API (logs.all), since Supabase CLI 3 has no `supabase functions
// logs … --tail`: every few seconds, the function's log events since the last one seen, oldest first, each once. The
// query follows Supabase's logs documentation (function_logs, its metadata unnested); a poll never overlaps the
// previous one, and a spent rate limit only delays the next.
import { Disposable } from '../../core/lifecycle/disposable';
import type { Clock } from '../http/clock';
import { PollScheduler } from '../http/pollScheduler';
import { isManagementApiError, type ManagementApiClient } from './managementApiClient';

export interface FunctionLogLine {
  id: string;
  /** Epoch ms. */
  at: number;
  level: string;
  message: string;
}

/** The first poll reaches back this far. */
export const TAIL_LOOKBACK_MS = 5 * 60_000;
const MAX_ROWS = 200;

export function functionLogsSql(functionId: string): string {
  return `select id, function_logs.timestamp, event_message, metadata.level, metadata.event_type
from function_logs
  cross join unnest(metadata) as metadata
where metadata.function_id = '${functionId.replace(/'/g, "''")}'
order by timestamp desc
limit ${MAX_ROWS}`;
}

export interface TailOptions {
  client: ManagementApiClient;
  ref: string;
  functionId: string;
  clock: Clock;
  intervalMs: number;
  onLines: (lines: FunctionLogLine[]) => void;
  /** One sentence, when a poll failed (the tail goes on). */
  onProblem: (message: string) => void;
}

export class FunctionLogTail extends Disposable {
  private readonly scheduler: PollScheduler;
  private since: number;
  /** Ids already shown at the newest timestamp seen: the next window starts there and would repeat them. */
  private seenAtEdge = new Set<string>();

  constructor(private readonly options: TailOptions) {
    super();
    this.since = options.clock.now() - TAIL_LOOKBACK_MS;
    this.scheduler = this._register(new PollScheduler(options.clock));
    this._register(this.scheduler.add({ intervalMs: options.intervalMs, run: () => this.poll() }));
  }

  /** Resolves once no poll is running. */
  idle(): Promise<void> {
    return this.scheduler.idle();
  }

  private async poll(): Promise<void> {
    const { client, ref, functionId, clock } = this.options;
    const end = clock.now();
    let rows: unknown[];
    try {
      rows =
        (await client.logs(ref, { sql: functionLogsSql(functionId), start: new Date(this.since), end: new Date(end) }))
          .result ?? [];
    } catch (error) {
      const message = (error as Error).message;
      this.options.onProblem(isManagementApiError(error) ? message : `Reading the logs failed: ${message}`);
      return;
    }
    if (this.isDisposed) return;
    const lines = rows
      .map(toLine)
      .filter((line): line is FunctionLogLine => line !== undefined && !this.seenAtEdge.has(line.id))
      .sort((a, b) => a.at - b.at);
    if (lines.length === 0) return;
    const newest = lines[lines.length - 1].at;
    if (newest > this.since) {
      this.since = newest;
      this.seenAtEdge = new Set();
    }
    for (const line of lines) if (line.at === newest) this.seenAtEdge.add(line.id);
    this.options.onLines(lines);
  }
}

function toLine(row: unknown): FunctionLogLine | undefined {
  if (!row || typeof row !== 'object') return undefined;
  const r = row as Record<string, unknown>;
  const at = epochMs(r.timestamp);
  if (at === undefined) return undefined;
  return {
    id: typeof r.id === 'string' ? r.id : `${at}:${String(r.event_message)}`,
    at,
    level: typeof r.level === 'string' ? r.level : typeof r.event_type === 'string' ? r.event_type : 'log',
    message:
      typeof r.event_message === 'string' ? r.event_message.replace(/\s+$/, '') : JSON.stringify(r.event_message),
  };
}

/** Logs timestamps come as microseconds since the epoch, or as ISO text. */
function epochMs(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value > 1e14 ? Math.floor(value / 1000) : value;
  if (typeof value === 'string') {
    const n = Number(value);
    if (Number.isFinite(n) && /^\d+$/.test(value)) return epochMs(n);
    const parsed = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
}
