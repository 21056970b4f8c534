// Parses the runbook's threshold and interval cells ("> 500ms", "> 80% pool", "3+ in 5min", "< 15 min",
// "5m", "90 days", "6 months", "Weekly", "1,000ms", "10 per minute", "On demand", "Next business day") into
// numbers with units. The text is always kept.

export type Comparator = '>' | '>=' | '<' | '<=' | '=';

export type Measure =
  /** A span of time, normalised to milliseconds. */
  | { kind: 'duration'; ms: number }
  /** A share, in percent; `of` names what it is a share of ("pool"). Words saying when ("post-deploy") are a note. */
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
  /** Words that qualify the value: "P1 only" in "30 min (P1 only)", "post-deploy" in "> 10% post-deploy". */
  note?: string;
}

const UNIT_MS = {
  ms: 1,
  millisecond: 1,
  milliseconds: 1,
  msec: 1,
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  w: 604_800_000,
  wk: 604_800_000,
  wks: 604_800_000,
  week: 604_800_000,
  weeks: 604_800_000,
  // Calendar lengths are approximate by nature; a rotation "every 6 months" is about 180 days.
  mo: 2_592_000_000,
  mos: 2_592_000_000,
  month: 2_592_000_000,
  months: 2_592_000_000,
  y: 31_536_000_000,
  yr: 31_536_000_000,
  yrs: 31_536_000_000,
  year: 31_536_000_000,
  years: 31_536_000_000,
};
// A Map, so that a word such as "constructor" is not found on Object.prototype.
const UNIT_BY_NAME = new Map<string, number>(Object.entries(UNIT_MS));

// "Weekly" rotation means every week: a period written as one word.
const PERIOD_MS = new Map<string, number>(
  Object.entries({
    hourly: UNIT_MS.hour,
    daily: UNIT_MS.day,
    nightly: UNIT_MS.day,
    weekly: UNIT_MS.week,
    biweekly: 2 * UNIT_MS.week,
    fortnightly: 2 * UNIT_MS.week,
    monthly: UNIT_MS.month,
    quarterly: 3 * UNIT_MS.month,
    yearly: UNIT_MS.year,
    annually: UNIT_MS.year,
    annual: UNIT_MS.year,
  }),
);

// Words after a percentage that say when or how long rather than of what: "> 10% post-deploy", "> 5% for 10 min".
const PERCENT_QUALIFIER = /^(post|pre|after|before|during|over|for|since|within|in|on|at|while|when|per|sustained)\b/i;

export function durationUnitMs(unit: string): number | undefined {
  return UNIT_BY_NAME.get(unit.toLowerCase());
}

// Thousands may be grouped with commas: "1,000ms".
const NUMBER = String.raw`(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)`;
const COMPARATOR = String.raw`(>=|<=|≥|≤|>|<|=)?`;
const DURATION = new RegExp(String.raw`^${NUMBER}\s*([A-Za-z]+)$`);
const PERCENT = new RegExp(String.raw`^${NUMBER}\s*%\s*(.*)$`);
// "10/min", "10 per minute", "5 errors per 10 minutes": events per window.
const RATE = new RegExp(String.raw`^${NUMBER}\s*(?:[A-Za-z]+\s*)?(?:/|per\s)\s*${NUMBER}?\s*([A-Za-z]+)$`);
// "3+ in 5min", "3 within 10 minutes", and with a plus also "3+ per 5min" (a threshold, not a rate).
const COUNT_WITHIN = new RegExp(
  String.raw`^${NUMBER}\s*(?:(\+)\s*(?:in|within|per)|(?:in|within))\s+${NUMBER}?\s*([A-Za-z]+)$`,
);
const COUNT_PLUS = new RegExp(String.raw`^${NUMBER}\s*\+$`);
const BARE_NUMBER = new RegExp(String.raw`^${NUMBER}$`);
const LEADING_COMPARATOR = new RegExp(String.raw`^${COMPARATOR}\s*(.*)$`);

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
  if (word === 'immediate' || word === 'immediately')
    return { text, measure: { kind: 'immediate' }, ...(note ? { note } : {}) };
  if (word === 'on demand' || word === 'on-demand')
    return { text, measure: { kind: 'onDemand' }, ...(note ? { note } : {}) };
  if (word === 'next business day') return { text, measure: { kind: 'nextBusinessDay' }, ...(note ? { note } : {}) };
  const period = PERIOD_MS.get(word);
  if (period !== undefined) return { text, measure: { kind: 'duration', ms: period }, ...(note ? { note } : {}) };

  const cmp = LEADING_COMPARATOR.exec(body.trim());
  const comparator = normaliseComparator(cmp?.[1]);
  const rest = (cmp?.[2] ?? body).trim();
  const parsed = parseMeasure(rest);
  if (!parsed) return undefined;
  const q: Quantity = { text, measure: parsed.measure };
  if (comparator) q.comparator = comparator;
  else if (parsed.measure.kind === 'count' && /\+/.test(rest)) q.comparator = '>=';
  const notes = [parsed.qualifier, note].filter(Boolean);
  if (notes.length) q.note = notes.join('; ');
  return q;
}

function toNumber(digits: string): number {
  return Number(digits.replace(/,/g, ''));
}

function parseMeasure(rest: string): { measure: Measure; qualifier?: string } | undefined {
  let m = PERCENT.exec(rest);
  if (m) {
    const words = m[2].trim();
    if (!words) return { measure: { kind: 'percent', value: toNumber(m[1]) } };
    if (PERCENT_QUALIFIER.test(words)) return { measure: { kind: 'percent', value: toNumber(m[1]) }, qualifier: words };
    return { measure: { kind: 'percent', value: toNumber(m[1]), of: words.replace(/^of\s+(the\s+)?/i, '') } };
  }
  m = COUNT_WITHIN.exec(rest);
  if (m) {
    const unit = durationUnitMs(m[4]);
    if (unit === undefined) return undefined;
    return { measure: { kind: 'count', value: toNumber(m[1]), withinMs: (m[3] ? toNumber(m[3]) : 1) * unit } };
  }
  m = RATE.exec(rest);
  if (m) {
    const per = durationUnitMs(m[3]);
    if (per === undefined) return undefined;
    return { measure: { kind: 'rate', count: toNumber(m[1]), perMs: (m[2] ? toNumber(m[2]) : 1) * per } };
  }
  m = COUNT_PLUS.exec(rest);
  if (m) return { measure: { kind: 'count', value: toNumber(m[1]) } };
  m = DURATION.exec(rest);
  if (m) {
    const unit = durationUnitMs(m[2]);
    if (unit !== undefined) return { measure: { kind: 'duration', ms: toNumber(m[1]) * unit } };
    return undefined;
  }
  m = BARE_NUMBER.exec(rest);
  if (m) return { measure: { kind: 'count', value: toNumber(m[1]) } };
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
    case '>':
      return observed > limit;
    case '>=':
      return observed >= limit;
    case '<':
      return observed < limit;
    case '<=':
      return observed <= limit;
    case '=':
      return observed === limit;
  }
}

function thresholdValue(q: Quantity): number | undefined {
  const m = q.measure;
  switch (m.kind) {
    case 'duration':
      return m.ms;
    case 'percent':
      return m.value;
    case 'rate':
      return m.count;
    case 'count':
      return m.value;
    case 'any':
      return 0;
    default:
      return undefined;
  }
}

/** "4 ms", "1.2 s", "3 min": how a duration reads to a person; the one formatter every layer uses. */
export { formatDuration as formatMs } from '../../shared/format/duration';
