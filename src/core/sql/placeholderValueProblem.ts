// What a value typed for a SQL placeholder must look like, as the prompt checks it while the user
// types. The binder applies the same rules (quoteIdentifierValue), so a value the prompt accepts
// is never refused later, and the other way round.
import { quoteIdentifierValue } from './bindPlaceholders';
import type { SqlPlaceholderKind } from './bindPlaceholders';

/** Why `value` cannot fill a placeholder of this kind, as one sentence; undefined when it can. */
export function placeholderValueProblem(kind: SqlPlaceholderKind, value: string): string | undefined {
  if (kind === 'identifier') {
    const quoted = quoteIdentifierValue(value);
    return 'problem' in quoted ? `The name ${quoted.problem}.` : undefined;
  }
  // Postgres text cannot hold NUL; pg would fail the whole run on it.
  return value.includes('\0') ? 'The value cannot contain a NUL character.' : undefined;
}
