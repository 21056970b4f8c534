// Reads a `supabase …` command line against the command table of Supabase CLI 3.1 (supabaseCommandTable.ts):
// which subcommand it is, which project it can reach, which flags it uses and which of them the CLI does not know.
import { basename } from '../bash/simpleCommands';
import {
  GLOBAL_FLAGS,
  GLOBAL_FLAGS_WITH_VALUE,
  GONE_COMMANDS,
  SUPABASE_COMMANDS,
  SUPABASE_CLI_NAME as CLI_NAME,
  hiddenFlagsOf,
  type HiddenFlag,
  type SupabaseCommandSpec,
} from './supabaseCommandTable';

export type { SupabaseCommandSpec, SupabaseTarget } from './supabaseCommandTable';

const GROUPS = new Set(
  Object.keys(SUPABASE_COMMANDS)
    .filter((k) => k.includes(' '))
    .map((k) => k.split(' ')[0]),
);
const ALIASES: Record<string, string> = { migrations: 'migration' };

export interface ParsedSupabaseCommand {
  /** Subcommand path, aliases resolved: ['functions', 'deploy']. Empty for a bare `supabase`. */
  path: string[];
  spec?: SupabaseCommandSpec;
  /** Every word after `supabase`, flags included. */
  args: string[];
  /** Index in `args` just after the subcommand path. */
  restIndex: number;
  /** Set when the subcommand does not exist in the CLI this table describes. */
  unknown?: string;
  /** Set with `unknown` when the command is one the CLI removed (`functions logs`), as opposed to a typo. */
  gone?: boolean;
}

/** Reads `supabase …` argv (the program may be a path or come from `npx`); undefined for other programs. */
export function parseSupabaseCommand(argv: readonly string[]): ParsedSupabaseCommand | undefined {
  if (argv.length === 0 || basename(argv[0]) !== 'supabase') return undefined;
  const args = argv.slice(1);
  const positions: number[] = [];
  for (let i = 0; i < args.length && positions.length < 3; i++) {
    const a = args[i];
    if (a === '--') break;
    if (a.startsWith('-')) {
      if (GLOBAL_FLAGS_WITH_VALUE.has(a)) i++;
      continue;
    }
    positions.push(i);
  }
  const words = positions.map((i) => ALIASES[args[i]] ?? args[i]);
  const base = { args, restIndex: args.length };
  if (words.length === 0) return { ...base, path: [] };
  const twoWords = words.slice(0, 2).join(' ');
  if (GONE_COMMANDS[twoWords] && !SUPABASE_COMMANDS[twoWords])
    return { ...base, path: words.slice(0, 3), unknown: GONE_COMMANDS[twoWords], gone: true };
  if (words.length >= 2 && SUPABASE_COMMANDS[twoWords])
    return { ...base, path: words.slice(0, 2), spec: SUPABASE_COMMANDS[twoWords], restIndex: positions[1] + 1 };
  if (SUPABASE_COMMANDS[words[0]] && !GROUPS.has(words[0]))
    return { ...base, path: [words[0]], spec: SUPABASE_COMMANDS[words[0]], restIndex: positions[0] + 1 };
  if (words[0] === 'logs')
    return { ...base, path: ['logs'], spec: SUPABASE_COMMANDS.logs, restIndex: positions[0] + 1 };
  if (GROUPS.has(words[0])) {
    if (words.length === 1) return { ...base, path: [words[0]] };
    return {
      ...base,
      path: words.slice(0, 2),
      unknown: `\`supabase ${words[0]} ${words[1]}\` is not a command of ${CLI_NAME}.`,
    };
  }
  return { ...base, path: [words[0]], unknown: `\`supabase ${words[0]}\` is not a command of ${CLI_NAME}.` };
}

/** The value of `--flag value` or `--flag=value`; `true` for a flag given without value; undefined when absent. */
export function flagValue(args: readonly string[], flag: string, takesValue: boolean): string | true | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') break;
    if (a === flag) return takesValue && args[i + 1] !== undefined && !args[i + 1].startsWith('-') ? args[i + 1] : true;
    if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
  }
  return undefined;
}

export function describeSupabaseCommand(parsed: ParsedSupabaseCommand): string {
  return ['supabase', ...parsed.path].join(' ');
}

/** The flags written on the command line, without their values (`--remote=x` gives `--remote`). */
export function flagsUsed(parsed: ParsedSupabaseCommand): string[] {
  const flags: string[] = [];
  for (const a of parsed.args) {
    if (a === '--') break;
    if (/^--?[A-Za-z]/.test(a)) flags.push(a.replace(/=.*$/, ''));
  }
  return flags;
}

export type FlagStatus =
  | { kind: 'listed' }
  | { kind: 'hidden'; flag: HiddenFlag }
  | { kind: 'unknown' }
  /** The table does not record this command's flags. */
  | { kind: 'unchecked' };

/** What the CLI makes of a flag on this command. */
export function flagStatus(parsed: ParsedSupabaseCommand, flag: string): FlagStatus {
  if (GLOBAL_FLAGS.includes(flag)) return { kind: 'listed' };
  const name = parsed.path.join(' ');
  const hidden = hiddenFlagsOf(name)[flag];
  if (hidden) return { kind: 'hidden', flag: hidden };
  if (!parsed.spec?.flags) return { kind: 'unchecked' };
  return parsed.spec.flags.includes(flag) ? { kind: 'listed' } : { kind: 'unknown' };
}

/** A flag with which a command names its own project or database: `--remote=x`, `--linked`, `--db-url u` … */
export interface NamedProjectFlag {
  flag: string;
  value?: string;
}

const PROJECT_FLAGS = ['--remote', '--project-ref', '--linked', '--local', '--db-url'];

export function namedProjectFlag(parsed: ParsedSupabaseCommand): NamedProjectFlag | undefined {
  const rest = parsed.args;
  for (const flag of PROJECT_FLAGS) {
    // `--remote` takes its value only as `--remote=x`; the others also as a separate word.
    const v = flagValue(rest, flag, flag === '--project-ref' || flag === '--db-url');
    if (v !== undefined) return v === true ? { flag } : { flag, value: v };
  }
  if (parsed.path.join(' ') === 'gen types') {
    const v = flagValue(rest, '--project-id', true);
    if (v !== undefined) return v === true ? { flag: '--project-id' } : { flag: '--project-id', value: v };
  }
  return undefined;
}

/**
 * Where a project command goes as far as its own words say: the local stack, the linked project, a database URL or a
 * project ref named by a flag, or nowhere (`rejected`: the CLI refuses the flag). `flag` is absent when the command's
 * default applies: Management API commands use the linked project; database commands the local stack in CLI 3 and
 * the linked project in CLI 2. Undefined for commands that reach no project (local-only, account, unknown).
 */
export type ProjectSelection =
  | { kind: 'local' | 'linked'; flag?: string }
  | { kind: 'url' | 'ref'; flag: string; value: string }
  | { kind: 'rejected'; flag: string };

export function projectSelection(parsed: ParsedSupabaseCommand, cliMajorVersion: number): ProjectSelection | undefined {
  const target = parsed.spec?.target;
  if (parsed.unknown || (target !== 'remote-only' && target !== 'local-or-remote')) return undefined;
  const named = namedProjectFlag(parsed);
  if (!named) return { kind: target === 'remote-only' || cliMajorVersion < 3 ? 'linked' : 'local' };
  const { flag, value } = named;
  if (flag === '--local') return { kind: 'local', flag };
  if (flag === '--linked' && target === 'remote-only' && cliMajorVersion >= 3) return { kind: 'rejected', flag };
  if (value === undefined) return { kind: 'linked', flag };
  return { kind: /^postgres(ql)?:\/\//i.test(value) ? 'url' : 'ref', flag, value };
}
