// Keeps a run's secrets (the values typed for secret placeholders, the database password) out of
// everything the run shows, records or returns. They are bound values, never SQL text, yet Postgres can
// echo one back (`invalid input syntax for type uuid: "…"`) and a query can select one, as text or inside
// json, jsonb or an array. The run's outcome is masked once, right after the run, and everything else is
// built from that copy. Known values are replaced by maskSecrets' own loop (maskKnownValues): a typed
// secret counts at every length and wherever it appears (the user said it is a secret); the password
// follows maskSecrets' rules for known secrets (long enough, a token of its own unless distinctive).
import { knownValueMasker, maskSecrets } from './maskSecrets';

/** The error fields a run reports; all of them can quote a value or a connection string. */
const ERROR_TEXT_FIELDS = ['title', 'message', 'detail', 'hint', 'where', 'advice'] as const;

type ErrorText = { [K in (typeof ERROR_TEXT_FIELDS)[number]]?: string };

/** The parts of a run's outcome that can hold a secret: the rows as pg parsed them, and the error. */
export interface MaskableOutcome {
  results: readonly { rows: readonly (readonly unknown[])[] }[];
  error?: ErrorText;
}

export class SecretMask {
  private readonly known: (text: string) => string;
  private readonly hasKnown: boolean;

  /** `typed`: values typed for secret placeholders; `password`: the database password, when it is a secret. */
  constructor(typed: readonly (string | undefined)[], options: { password?: string } = {}) {
    const secrets = [...typed.map((value) => (value ? { value, anyLength: true } : undefined)), options.password];
    this.hasKnown = secrets.some((s) => s !== undefined && s !== '');
    this.known = knownValueMasker(secrets);
  }

  /** A cell or a bound value: only the known values are masked, so ordinary data stays as it is. */
  value(text: string): string {
    return this.known(text);
  }

  /** A message, detail, hint or log line: the known values and anything shaped like a credential. */
  text(text: string): string {
    return maskSecrets(this.known(text));
  }

  /**
   * The run's outcome with every secret masked: each string in the rows, inside arrays and json objects too
   * (keys included), and every text field of the error. The same object when there is nothing to mask.
   */
  outcome<O extends MaskableOutcome>(outcome: O): O {
    if (!this.hasKnown && !outcome.error) return outcome;
    const masked: O = { ...outcome };
    if (this.hasKnown)
      masked.results = outcome.results.map((r) => ({ ...r, rows: r.rows.map((row) => row.map((v) => this.cell(v))) }));
    if (outcome.error) {
      const error = { ...outcome.error };
      for (const key of ERROR_TEXT_FIELDS) {
        const field = error[key];
        if (typeof field === 'string') error[key] = this.text(field);
      }
      masked.error = error;
    }
    return masked;
  }

  /** A value as pg parsed it: text, or json/jsonb and arrays holding text. Dates, numbers and bytes hold none. */
  private cell(value: unknown): unknown {
    if (typeof value === 'string') return this.known(value);
    if (Array.isArray(value)) return value.map((v) => this.cell(v));
    if (isPlainObject(value))
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [this.known(k), this.cell(v)]));
    return value;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
