// Copy and save formats for a result set. SQL NULL is an empty CSV field, `NULL` in Markdown
// (the text 'NULL' is escaped as `'NULL'`), and null in JSON.
export interface FormattableResult {
  columns: Array<{ name: string }>;
  rows: Array<Array<string | null>>;
}

export function toCsv(result: FormattableResult, rowOrder?: readonly number[]): string {
  const field = (v: string | null) =>
    v === null ? '' : /[",\r\n]|^\s|\s$/.test(v) || v === '' ? `"${v.replace(/"/g, '""')}"` : v;
  const lines = [result.columns.map((c) => field(c.name)).join(',')];
  for (const row of ordered(result, rowOrder)) lines.push(row.map(field).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function toMarkdown(result: FormattableResult, rowOrder?: readonly number[]): string {
  const cell = (v: string | null) =>
    v === null
      ? 'NULL'
      : v === 'NULL'
        ? "'NULL'"
        : v.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
  const header = `| ${result.columns.map((c) => cell(c.name)).join(' | ')} |`;
  const rule = `| ${result.columns.map(() => '---').join(' | ')} |`;
  return [header, rule, ...ordered(result, rowOrder).map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n') + '\n';
}

export function toJson(result: FormattableResult, rowOrder?: readonly number[]): string {
  const names = uniqueNames(result.columns.map((c) => c.name));
  const objects = ordered(result, rowOrder).map((row) => Object.fromEntries(names.map((n, i) => [n, row[i] ?? null])));
  return `${JSON.stringify(objects, null, 2)}\n`;
}

function ordered(result: FormattableResult, rowOrder?: readonly number[]): Array<Array<string | null>> {
  return rowOrder ? rowOrder.filter((i) => i >= 0 && i < result.rows.length).map((i) => result.rows[i]) : result.rows;
}

/** `count`, `count` → `count`, `count_2`: JSON objects cannot repeat a key. */
function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const k = (seen.get(n) ?? 0) + 1;
    seen.set(n, k);
    return k === 1 ? n : `${n}_${k}`;
  });
}
