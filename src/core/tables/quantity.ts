// Parses the runbook's threshold and interval cells ("> 500ms", "> 80% pool", "3+ in 5min", "< 15 min",
// "5m", "90 days", "On demand", "Next business day") into numbers with units. The text is always kept.

export type Comparator = '>' | '>=' | '<' | '<=' | '=';

export type Measure =
  /** A span of time, normalised to milliseconds. */
  | { kind: 'duration'; ms: number }
  /** A share, in percent; `of` names what it is a share of ("pool"). */
  | { kind: 'percent'; value: number; of?: string }
  /** Events per window ("10/min"). */
  | { kind: 'rate'; count: number; perMs: number }
  /** A count, optionally within a window ("3+ in 5min"). */
  | { kind: 'count'; value: number; withinMs?: number }
  /** "Any": the first occurrence counts. */
  | { kind: 'any' }
  | { kind: 'immediate' }
  | { kind: 'onDemand' }
  | { kind: 'nextBusinessDay' };

export interface Quantity {
  text: string;
  comparator?: Comparator;
  measure: Measure;
  /** Words after the value that qualify it, e.g. "P1 only" in "30 min (P1 only)". */
  note?: string;
}

const UNIT_MS: Record<string, number> = {
  ms: 1, millisecond: 1, milliseconds: 1, msec: 1,
  s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hr: 3_600_000, hrs: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
  w: 604_800_000, wk: 604_800_000, week: 604_800_000, weeks: 604_800_000,
};

export function durationUnitMs(unit: string): number | undefined {
  return UNIT_MS[unit.toLowerCase()];
}

const NUMBER = String.raw`(\d+(?:\.\d+)?)`;
const COMPARATOR = String.raw`(>=|<=|≥|≤|>|<|=)?`;
const DURATION = new RegExp(String.raw`^${NUMBER}\s*([A-Za-z]+)$`);
const PERCENT = new RegExp(String.raw`^${NUMBER}\s*%\s*(.*)$`);
const RATE = new RegExp(String.raw`^${NUMBER}\s*/\s*([A-Za-z]+)$`);
const COUNT_WITHIN = new RegExp(String.raw`^${NUMBER}\s*(\+)?\s*(?:in|within|per)\s+${NUMBER}?\s*([A-Za-z]+)$`);
const COUNT_PLUS = new RegExp(String.raw`^${NUMBER}\s*\+$`);
const BARE_NUMBER = new RegExp(String.raw`^${NUMBER}$`);

function normaliseComparator(c: string | undefined): Comparator | undefined {
  if (!c) return undefined;
  if (c === '≥') return '>=';
  if (c === '≤') return '<=';
  return c as Comparator;
}

/** Parses one cell; returns undefined when the text holds no recognisable quantity. */
export function parseQuantity(raw: string): Quantity | undefined {
  const text = raw.trim();
  if (!text) return undefined;
  let body = text.replace(/`/g, '');
  let note: string | undefined;
  const paren = /^(.*?)\s*\(([^)]*)\)\s*$/.exec(body);
  if (paren && paren[1]) {
    body = paren[1];
    note = paren[2].trim() || undefined;
  }
  const word = body.toLowerCase().replace(/\s+/g, ' ').trim();
  if (word === 'any') return { text, measure: { kind: 'any' }, ...(note ? { note } : {}) };
  if (word === 'immediate' || word === 'immediately') return { text, measure: { kind: 'immediate' }, ...(note ? { note } : {}) };
  if (word === 'on demand' || word === 'on-demand') return { text, measure: { kind: 'onDemand' }, ...(note ? { note } : {}) };
  if (word === 'next business day') return { text, measure: { kind: 'nextBusinessDay' }, ...(note ? { note } : {}) };

  const cmp = new RegExp(`^${COMPARATOR}\\s*(.*)$`).exec(body.trim());
  const comparator = normaliseComparator(cmp?.[1]);
  const rest = (cmp?.[2] ?? body).trim();
  const measure = parseMeasure(rest);
  if (!measure) return undefined;
  const q: Quantity = { text, measure };
  if (comparator) q.comparator = comparator;
  else if (measure.kind === 'count' && /\+/.test(rest)) q.comparator = '>=';
  if (note) q.note = note;
  return q;
}

function parseMeasure(rest: string): Measure | undefined {
  let m = PERCENT.exec(rest);
  if (m) {
    const of = m[2].trim();
    return of ? { kind: 'percent', value: Number(m[1]), of } : { kind: 'percent', value: Number(m[1]) };
  }
  m = RATE.exec(rest);
  if (m) {
    const per = durationUnitMs(m[2]);
    if (per !== undefined) return { kind: 'rate', count: Number(m[1]), perMs: per };
    return undefined;
  }
  m = COUNT_WITHIN.exec(rest);
  if (m) {
    const unit = durationUnitMs(m[4]);
    if (unit === undefined) return undefined;
    return { kind: 'count', value: Number(m[1]), withinMs: Number(m[3] ?? '1') * unit };
  }
  m = COUNT_PLUS.exec(rest);
  if (m) return { kind: 'count', value: Number(m[1]) };
  m = DURATION.exec(rest);
  if (m) {
    const unit = durationUnitMs(m[2]);
    if (unit !== undefined) return { kind: 'duration', ms: Number(m[1]) * unit };
    return undefined;
  }
  m = BARE_NUMBER.exec(rest);
  if (m) return { kind: 'count', value: Number(m[1]) };
  return undefined;
}

/** Milliseconds of a duration quantity, or undefined for any other kind. */
export function quantityMs(q: Quantity | undefined): number | undefined {
  return q && q.measure.kind === 'duration' ? q.measure.ms : undefined;
}

/** Whether an observed value crosses a threshold ("> 500ms" with 620 ms → true). */
export function crosses(observed: number, threshold: Quantity): boolean {
  const limit = thresholdValue(threshold);
  if (limit === undefined) return false;
  switch (threshold.comparator ?? '>') {
    case '>': return observed > limit;
    case '>=': return observed >= limit;
    case '<': return observed < limit;
    case '<=': return observed <= limit;
    case '=': return observed === limit;
  }
}

function thresholdValue(q: Quantity): number | undefined {
  const m = q.measure;
  switch (m.kind) {
    case 'duration': return m.ms;
    case 'percent': return m.value;
    case 'rate': return m.count;
    case 'count': return m.value;
    case 'any': return 0;
    default: return undefined;
  }
}

/** "4 ms", "1.2 s", "3 min": how a duration reads to a person. */
export function formatMs(ms: number): string {
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1).replace(/\.?0+$/, '')} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1).replace(/\.0$/, '')} min`;
  if (ms < 86_400_000) return `${(ms / 3_600_000).toFixed(1).replace(/\.0$/, '')} h`;
  return `${(ms / 86_400_000).toFixed(1).replace(/\.0$/, '')} days`;
}
