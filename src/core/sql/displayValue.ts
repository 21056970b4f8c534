// One result cell as text for the results grid, copy and save. SQL NULL stays null so the UI can
// tell it apart from the text 'NULL'. Values that Postgres sends exactly (bigint, numeric, dates
// the runner keeps as text) are never pushed through a JS number, so no digit is lost.

export function toDisplayCell(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
    case 'boolean':
      return String(value);
    case 'object':
      return objectToText(value as object);
    default:
      return String(value);
  }
}

function objectToText(value: object): string {
  if (value instanceof Date) return dateToText(value);
  if (value instanceof Uint8Array) return byteaToText(value);
  const toPostgres = (value as { toPostgres?: unknown }).toPostgres;
  // pg's own value classes (interval, range) know their Postgres text form.
  if (typeof toPostgres === 'function' && !Array.isArray(value)) {
    try {
      return String(toPostgres.call(value, (v: unknown) => v));
    } catch {
      // fall through to JSON
    }
  }
  try {
    return JSON.stringify(value, jsonReplacer) ?? String(value);
  } catch {
    return String(value); // a cycle or a throwing getter: still show something
  }
}

function dateToText(date: Date): string {
  return Number.isNaN(date.getTime()) ? 'Invalid Date' : date.toISOString();
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Postgres's bytea hex format (no Buffer: core also runs outside Node). */
function byteaToText(bytes: Uint8Array): string {
  let text = '\\x';
  for (const byte of bytes) text += HEX[byte];
  return text;
}

/** Inside arrays and JSON: bigint as a string of digits, bytes as \x hex, dates as ISO. */
function jsonReplacer(this: unknown, key: string, value: unknown): unknown {
  const original = key === '' ? value : (this as Record<string, unknown>)[key];
  if (typeof original === 'bigint') return original.toString();
  if (original instanceof Uint8Array) return byteaToText(original);
  if (original instanceof Date) return dateToText(original);
  return value;
}
