// Puts placeholder values into a command so that each value stays one literal argument, whatever it contains.
// The quoting depends on where the placeholder sits: bare, inside '…', inside "…", in a here-doc, in backticks.
import { tokenizeShell, type PlaceholderSite, type ShellToken } from './shellLexer';
import { quoteShellWord } from './shellQuote';
import { INERT_CHARACTERS, isInertValue, nonInertCharacters, placeholderUses } from './placeholderUses';

export type PlaceholderValues = Readonly<Record<string, string>>;
/** Placeholders whose value travels in an environment variable (secrets): name → variable name. */
export type VariableReferences = Readonly<Record<string, string>>;

export class PlaceholderSubstitutionError extends Error {
  constructor(
    message: string,
    readonly placeholder: string,
  ) {
    super(message);
    this.name = 'PlaceholderSubstitutionError';
  }
}

/** Placeholder names of the command (outside comments) that `values` has no value for. */
export function missingPlaceholderValues(command: string, values: PlaceholderValues): string[] {
  const names = tokenizeShell(command)
    .placeholders.filter((s) => s.context !== 'comment')
    .map((s) => s.name);
  return [...new Set(names)].filter((n) => !Object.prototype.hasOwnProperty.call(values, n));
}

/**
 * Replaces every `<name>` with its value, POSIX-quoted for its context:
 * - bare: `'value'` (a `'` in the value becomes `'\''`);
 * - inside '…': the quote is closed, the quoted value inserted, the quote reopened;
 * - inside "…": the double quote is closed and the value single-quoted, so `$(…)`, backticks, `$VAR` and `!`
 *   in the value stay literal;
 * - in a here-doc body: `\`, `$` and backticks are escaped (literal here-docs take the value as is);
 * - in backticks, one more level of backslashes, which the shell removes before running the inner command.
 * Placeholders in comments are left alone. Throws `PlaceholderSubstitutionError` for a missing value, a NUL, a
 * line break in a here-doc, a placeholder right after a bare `$`, inside `${…}` or `$((…))` (unless the value is
 * an integer), or any value that would change the command's structure.
 *
 * Where a second shell parses the text again (`bash -c "… <x>"`, `ssh host "… <x>"`, `eval`, a here-document fed
 * to bash: see secondShells), the quoting above is removed before that shell reads the value, so only inert values
 * (letters, digits and `._:/@+-`) are accepted there, and no secret (its value would be read as code).
 */
export function substitutePlaceholders(
  command: string,
  values: PlaceholderValues,
  references: VariableReferences = {},
): string {
  const lexed = tokenizeShell(command);
  refuseCodeForSecondShells(command, values, references);
  let result = '';
  let at = 0;
  for (const site of lexed.placeholders) {
    if (site.context === 'comment') continue;
    const isReference = Object.prototype.hasOwnProperty.call(references, site.name);
    if (!isReference && !Object.prototype.hasOwnProperty.call(values, site.name)) {
      throw new PlaceholderSubstitutionError(`No value was given for <${site.name}>.`, site.name);
    }
    if (followsBareDollar(command, site)) {
      // `$<name>` would glue the value to the `$`: `$'…'` escapes, or `$(…)` in a here-doc.
      throw new PlaceholderSubstitutionError(
        `<${site.name}> directly follows a "$", which would join with the value (as $'…' or $(…)); separate or quote them.`,
        site.name,
      );
    }
    result +=
      command.slice(at, site.start) +
      (isReference ? referenceFor(site, references[site.name]) : replacementFor(site, values[site.name]));
    at = site.end;
  }
  result += command.slice(at);
  if (structureOf(tokenizeShell(result).tokens) !== structureOf(lexed.tokens)) {
    throw new PlaceholderSubstitutionError(
      'A value would change the structure of the command (for example end a here-doc early).',
      lexed.placeholders[0]?.name ?? '',
    );
  }
  return result;
}

function refuseCodeForSecondShells(command: string, values: PlaceholderValues, references: VariableReferences): void {
  if (!command.includes('<')) return;
  for (const use of placeholderUses(command)) {
    if (!use.secondShell) continue;
    const name = use.site.name;
    if (Object.prototype.hasOwnProperty.call(references, name)) {
      throw new PlaceholderSubstitutionError(secretInSecondShellMessage(name, use.secondShell), name);
    }
    const value = Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined;
    if (value !== undefined && !isInertValue(value)) {
      throw new PlaceholderSubstitutionError(valueInSecondShellMessage(name, value, use.secondShell), name);
    }
  }
}

/** Why a value is refused where a second shell parses it again. */
export function valueInSecondShellMessage(name: string, value: string, why: string): string {
  return `<${name}>: ${why}, so it parses the value again after the terminal's shell has removed our quoting. Only ${INERT_CHARACTERS} are allowed there; this value has ${nonInertCharacters(value)}.`;
}

/** Why a secret is refused where a second shell parses it again. */
export function secretInSecondShellMessage(name: string, why: string): string {
  return `<${name}> is a secret, and ${why}: the secret's value would be run as code. Give it to that shell as data instead, after the script: bash -c '… "$1" …' _ <${name}>.`;
}

/**
 * `"${VAR}"` in the placeholder's quoting context, so that the shell puts in the variable's value as one literal
 * argument and the value itself never appears in the command line, the terminal or the shell history.
 */
function referenceFor(site: PlaceholderSite, variable: string): string {
  const fail = (why: string): never => {
    throw new PlaceholderSubstitutionError(`<${site.name}>: ${why}`, site.name);
  };
  if (!/^[A-Z_][A-Z0-9_]*$/.test(variable)) fail(`${variable} is not a shell variable name.`);
  const expansion = `\${${variable}}`;
  switch (site.context) {
    case 'unquoted':
      return `"${expansion}"`;
    case 'double-quote':
      return expansion;
    case 'here-doc':
      return expansion;
    case 'single-quote':
      return `'"${expansion}"'`;
    case 'ansi-quote':
      return `'"${expansion}"$'`;
    case 'literal-here-doc':
      return fail(
        "a secret cannot be passed into a quoted here-doc (<<'EOF'), which expands nothing; use an unquoted delimiter.",
      );
    case 'arithmetic':
      return fail('a secret cannot be used inside $(( … )).');
    case 'parameter-expansion':
      return fail('placeholders inside ${…} are not supported; move it out of the expansion.');
    case 'comment':
      return `<${site.name}>`;
  }
}

function followsBareDollar(command: string, site: PlaceholderSite): boolean {
  if (site.context !== 'unquoted' && site.context !== 'here-doc') return false;
  if (command[site.start - 1] !== '$') return false;
  let backslashes = 0;
  for (let i = site.start - 2; i >= 0 && command[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 0;
}

function replacementFor(site: PlaceholderSite, value: string): string {
  const fail = (why: string): never => {
    throw new PlaceholderSubstitutionError(`<${site.name}>: ${why}`, site.name);
  };
  if (value.includes('\0')) fail('the value contains a NUL character.');
  let text: string;
  switch (site.context) {
    case 'unquoted':
      text = quoteShellWord(value);
      break;
    case 'single-quote':
      text = `'${quoteShellWord(value)}'`;
      break;
    case 'double-quote':
      text = `"${quoteShellWord(value)}"`;
      break;
    case 'ansi-quote':
      text = `'${quoteShellWord(value)}$'`;
      break;
    case 'here-doc':
      if (/[\r\n]/.test(value)) fail('a line break cannot be put in a here-doc safely.');
      text = value.replace(/[\\$`]/g, (c) => `\\${c}`);
      break;
    case 'literal-here-doc':
      if (/[\r\n]/.test(value)) fail('a line break cannot be put in a here-doc safely.');
      text = value;
      break;
    case 'arithmetic':
      // Arithmetic evaluates array subscripts, which can run commands: only plain integers go in.
      if (!/^-?\d+$/.test(value)) fail('only an integer can be used inside $(( … )).');
      text = value;
      break;
    case 'parameter-expansion':
      return fail('placeholders inside ${…} are not supported; move it out of the expansion.');
    case 'comment':
      return `<${site.name}>`;
  }
  return site.insideBackticks ? text.replace(/[\\`$]/g, (c) => `\\${c}`) : text;
}

// The shape of a command: token kinds, operators and redirections, and how many words. A safe substitution
// changes only the text of words and here-doc bodies, never this.
function structureOf(tokens: readonly ShellToken[]): string {
  return tokens
    .map((t) => (t.kind === 'operator' || t.kind === 'redirect' ? `${t.kind}:${t.op === '\n' ? 'NL' : t.op}` : t.kind))
    .join(' ');
}
