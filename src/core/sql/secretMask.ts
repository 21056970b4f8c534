// Keeps a run's secrets (the values typed for secret placeholders, the database password) out of
// everything the run shows or records. They are bound values, never SQL text, yet Postgres can echo
// one back (`invalid input syntax for type uuid: "…"`) and a query can select one. Every length
// counts: the user said it is a secret. Text fields also get the credential patterns of maskSecrets.
import { MASK, maskSecrets } from '../shell/maskSecrets';
import type { ErrorView, ResultSetView } from '../../shared/resultsMessages';

export class SecretMask {
  private readonly values: string[];

  constructor(secrets: readonly (string | undefined)[]) {
    const variants = secrets.flatMap((s) => (s ? [s, JSON.stringify(s).slice(1, -1), encodeURIComponent(s)] : []));
    // Longest first, so a secret that contains another is masked whole.
    this.values = [...new Set(variants)].filter((v) => v.length > 0).sort((a, b) => b.length - a.length);
  }

  /** A cell of a result: only the known values are masked, so ordinary data stays as it is. */
  value(text: string): string {
    let masked = text;
    for (const secret of this.values) if (masked.includes(secret)) masked = masked.split(secret).join(MASK);
    return masked;
  }

  /** A message, detail, hint or log line: the known values and anything shaped like a credential. */
  text(text: string): string {
    return maskSecrets(this.value(text));
  }

  errorView(view: ErrorView): ErrorView {
    const masked: ErrorView = { ...view };
    for (const key of ['title', 'message', 'detail', 'hint', 'advice', 'excerpt'] as const) {
      const field = view[key];
      if (field !== undefined) masked[key] = this.text(field);
    }
    return masked;
  }

  resultSet(set: ResultSetView): ResultSetView {
    if (this.values.length === 0) return set;
    return { ...set, statement: this.value(set.statement), rows: set.rows.map((row) => row.map((cell) => (cell === null ? null : this.value(cell)))) };
  }
}
