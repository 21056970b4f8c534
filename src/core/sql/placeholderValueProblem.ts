// What a value typed for a SQL placeholder must look like, as the prompt checks it while the user
// types. The binder applies the same rules (quoteIdentifierValue for a name, namePartProblem for part
// of a quoted name), so a value the prompt accepts is never refused later, and the other way round.
import { namePartProblem, quoteIdentifierValue } from './bindPlaceholders';
import type { SqlPlaceholderKind } from './bindPlaceholders';

/**
 * How a placeholder's value is used: a bound value, a name (`FROM <table_name>`, schema.name allowed), or
 * part of a quoted name (`"<col>"`, `"tmp_<suffix>"`: one plain name).
 */
export type PlaceholderValueRule = SqlPlaceholderKind | 'name-part';

/** Why `value` cannot fill a placeholder used this way, as one sentence; undefined when it can. */
export function placeholderValueProblem(rule: PlaceholderValueRule, value: string): string | undefined {
  if (rule === 'identifier') {
    const quoted = quoteIdentifierValue(value);
    return 'problem' in quoted ? `The name ${quoted.problem}.` : undefined;
  }
  if (rule === 'name-part') {
    const problem = namePartProblem(value);
    return problem === undefined ? undefined : `The name ${problem}.`;
  }
  // Postgres text cannot hold NUL; pg would fail the whole run on it.
  return value.includes('\0') ? 'The value cannot contain a NUL character.' : undefined;
}
