// Validation of the values a user types for `<function_name>`, `<migration_name>` and other placeholders, before
// they are quoted into a command. Quoting already makes any value harmless to the shell; validation catches
// values that are wrong for Supabase and characters that would act as key presses in a terminal.
import { splitSimpleCommands, unwrapCommand, basename } from '../bash/simpleCommands';
import { isSecretPlaceholder } from '../secrets/secretNames';
import { isInertValue, optionRiskMessage, type PlaceholderUse } from '../bash/placeholderUses';
import { secretInSecondShellMessage, valueInSecondShellMessage } from '../bash/substitutePlaceholders';

export type PlaceholderKind = 'function' | 'migration' | 'secret' | 'generic';

export interface PlaceholderValueContext {
  /** The workspace's Edge Functions (from supabase/functions); suggested first, others still allowed. */
  functionNames?: readonly string[];
  /** Overrides the kind guessed from the placeholder's name (see `placeholderKind`). */
  kind?: PlaceholderKind;
  /** Where the commands use the placeholder (see `placeholderUsesIn`). */
  uses?: readonly PlaceholderUse[];
}

export type PlaceholderValidation = { ok: true; warning?: string } | { ok: false; message: string };

/** Supabase Edge Function slugs: a letter, then letters, digits, `-` and `_`. */
export const FUNCTION_SLUG = /^[A-Za-z][A-Za-z0-9_-]*$/;
/** `supabase migration new` names: lower-case snake case. */
export const MIGRATION_SLUG = /^[a-z0-9][a-z0-9_]*$/;

// C0 controls (tab and newline included), DEL and C1 controls. Typed into a terminal they are key presses:
// Ctrl-C interrupts, Ctrl-U erases the line, Ctrl-O and Ctrl-J run it, ESC starts a sequence. Quoting cannot help.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
// Bidirectional overrides make the shown command differ from the one that runs.
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f]/;

/**
 * The kind of a placeholder: by its name (`<function_name>`, `<migration_name>`), or, for a generic name such as
 * `<name>`, by where the command uses it (`supabase functions logs <name>`, `supabase migration new <name>`).
 */
export function placeholderKind(name: string, commandText?: string): PlaceholderKind {
  if (isSecretPlaceholder(name)) return 'secret';
  const lower = name.toLowerCase();
  if (lower.includes('function')) return 'function';
  if (lower.includes('migration')) return 'migration';
  if (commandText) return kindFromUse(name, commandText);
  return 'generic';
}

function kindFromUse(name: string, commandText: string): PlaceholderKind {
  const written = `<${name}>`;
  for (const command of splitSimpleCommands(commandText)) {
    const { argv } = unwrapCommand(command.words);
    if (basename(argv[0] ?? '') !== 'supabase') continue;
    const positional = argv.slice(1).filter((w) => !w.startsWith('-'));
    const at = positional.indexOf(written);
    if (at < 0) continue;
    if (positional[0] === 'functions' && at >= 2) return 'function';
    if ((positional[0] === 'migration' || positional[0] === 'migrations') && positional[1] === 'new' && at === 2)
      return 'migration';
  }
  if (commandText.includes(`supabase/functions/${written}`)) return 'function';
  return 'generic';
}

/** Values to offer first in the input box: the workspace's functions for a function placeholder. */
export function placeholderSuggestions(name: string, context: PlaceholderValueContext = {}): string[] {
  const kind = context.kind ?? placeholderKind(name);
  return kind === 'function' ? [...(context.functionNames ?? [])] : [];
}

export function validatePlaceholderValue(
  name: string,
  value: string,
  context: PlaceholderValueContext = {},
): PlaceholderValidation {
  if (value.includes('\0'))
    return { ok: false, message: 'The value contains a NUL character, which no command argument can hold.' };
  if (value === '') return { ok: false, message: `Enter a value for <${name}>.` };
  if (/[\r\n]/.test(value))
    return { ok: false, message: 'Enter a single line: a line break would run the command before the value ends.' };
  if (CONTROL_CHARACTERS.test(value)) {
    return {
      ok: false,
      message:
        'The value contains a control character (such as Tab, Ctrl-C or Escape), which the terminal would take as a key press.',
    };
  }
  const kind = context.kind ?? placeholderKind(name);
  const uses = context.uses ?? [];
  // Where a second shell parses the text again, only inert values stay data, and a secret never does.
  const secondShell = uses.find((u) => u.secondShell)?.secondShell;
  if (secondShell && kind === 'secret') return { ok: false, message: secretInSecondShellMessage(name, secondShell) };
  if (secondShell && !isInertValue(value))
    return { ok: false, message: valueInSecondShellMessage(name, value, secondShell) };
  const optionOf = uses.find((u) => u.optionOf)?.optionOf;
  if (kind === 'secret') {
    if (value.trim() === '') return { ok: false, message: 'The value is only spaces.' };
    // The run never sees a secret's value (it travels in the environment), so it cannot ask then: refused here.
    if (value.startsWith('-') && optionOf)
      return {
        ok: false,
        message: `The secret starts with "-", so ${optionOf} would read it as an option. Put it after "--" in the runbook, or as --option=<${name}>.`,
      };
    return { ok: true };
  }
  if (kind === 'function') return validateFunctionName(value, context.functionNames ?? []);
  if (kind === 'migration') return validateMigrationName(value);
  const warnings: string[] = [];
  if (value.startsWith('-') && optionOf)
    warnings.push(`${optionRiskMessage(name, value, optionOf)} You will be asked before it runs.`);
  else if (value.startsWith('-') && !context.uses)
    warnings.push('The value starts with "-", so the command may read it as an option.');
  if (BIDI_CONTROLS.test(value)) warnings.push('The value contains invisible text-direction characters.');
  if (value !== value.trim()) warnings.push('The value starts or ends with spaces, which are kept.');
  return warnings.length > 0 ? { ok: true, warning: warnings.join(' ') } : { ok: true };
}

function validateFunctionName(value: string, known: readonly string[]): PlaceholderValidation {
  if (!FUNCTION_SLUG.test(value)) {
    return {
      ok: false,
      message:
        'A function name starts with a letter and has only letters, digits, "-" and "_" (for example generate-content).',
    };
  }
  if (known.length > 0 && !known.includes(value)) {
    const listed = known.slice(0, 8).join(', ') + (known.length > 8 ? ', …' : '');
    return { ok: true, warning: `"${value}" is not one of this workspace's functions (${listed}).` };
  }
  return { ok: true };
}

function validateMigrationName(value: string): PlaceholderValidation {
  if (MIGRATION_SLUG.test(value)) return { ok: true };
  const suggestion = value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const hint = suggestion && MIGRATION_SLUG.test(suggestion) ? ` Try "${suggestion}".` : '';
  return {
    ok: false,
    message: `A migration name is lower-case snake_case: a-z, 0-9 and "_", starting with a letter or digit.${hint}`,
  };
}
