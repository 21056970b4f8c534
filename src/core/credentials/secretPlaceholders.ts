// A run's placeholder answers split by what they are: plain values are quoted into the command line; a secret's value
// travels in the environment under RUNBOOK_SECRET_<NAME>, and the command line only names that variable.
import { isSecretPlaceholder, secretVariableName } from '../secrets/secretNames';

export interface PlaceholderAnswers {
  /** Plain values, by placeholder name: quoted into the command. */
  values: Record<string, string>;
  /** Secret placeholders, by name: the variable the command line refers to instead of the value. */
  secretVariables: Record<string, string>;
  /** The secret values, by variable name: the environment of the run. */
  secretEnv: Record<string, string>;
}

export function splitPlaceholderAnswers(answers: ReadonlyMap<string, string>): PlaceholderAnswers {
  const split: PlaceholderAnswers = { values: {}, secretVariables: {}, secretEnv: {} };
  for (const [name, value] of answers) {
    if (isSecretPlaceholder(name)) {
      split.secretVariables[name] = secretVariableName(name);
      split.secretEnv[secretVariableName(name)] = value;
    } else split.values[name] = value;
  }
  return split;
}
