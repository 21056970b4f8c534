// The questions asked before a shell block runs, one per placeholder: a pick list of the workspace's Edge Functions
// for a function name (`<function_name>`, or `<name>` where `supabase functions … <name>` uses it), a snake_case
// check for a migration name, a masked input for a secret, and a plain input prefilled with the last value otherwise.
import * as vscode from 'vscode';
import type { PlaceholderQuestion } from '../placeholders/placeholderPrompt';
import type { ShellCommand } from '../../core/bash/splitShellSnippet';
import { placeholderKind, validatePlaceholderValue } from '../../core/shell/placeholderValues';
import { placeholderUsesIn } from '../../core/bash/placeholderUses';

export function placeholderQuestions(
  commands: readonly ShellCommand[],
  functionNames: readonly string[],
): PlaceholderQuestion[] {
  const names = [...new Set(commands.flatMap((c) => c.placeholders.map((p) => p.name)))];
  return names.map((name) => {
    const commandText = commands.find((c) => c.placeholders.some((p) => p.name === name))?.text;
    const kind = placeholderKind(name, commandText);
    // Where each command uses it (a second shell, an option position), read once for every keystroke's check.
    const uses = placeholderUsesIn(
      name,
      commands.filter((c) => c.placeholders.some((p) => p.name === name)).map((c) => c.text),
    );
    const validate = (v: string) => {
      const r = validatePlaceholderValue(name, v, { functionNames, kind, uses });
      return r.ok
        ? r.warning
          ? { message: r.warning, severity: vscode.InputBoxValidationSeverity.Warning }
          : undefined
        : r.message;
    };
    switch (kind) {
      case 'secret':
        return {
          name,
          secret: true,
          hint: 'passed to the command in an environment variable, never typed into the terminal, never stored',
          validate,
        };
      case 'function':
        return {
          name,
          hint: 'an Edge Function of supabase/functions',
          validate,
          ...(functionNames.length ? { choices: functionNames } : {}),
        };
      case 'migration':
        return { name, hint: 'a migration name in snake_case, such as add_orders_index', validate };
      case 'generic':
        return { name, hint: 'quoted for the shell, so it stays one word', validate };
    }
  });
}
