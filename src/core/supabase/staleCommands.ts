// `supabase` subcommands a runbook still uses but the CLI no longer has (`supabase functions logs`, `supabase db
// remote status`), found in every part of a command line, `$(…)` included; and the working commands that replace
// them, for the Quick Fix on the runbook's line.
import { NESTED_COMMAND_DEPTH, unwrapCommand, walkSimpleCommands } from '../bash/simpleCommands';
import { parseSupabaseCommand } from './supabaseCli';

/** One message per unknown `supabase` subcommand, saying what to use instead where the CLI's help tells. */
export function staleSupabaseCommands(command: string): string[] {
  const found = new Set<string>();
  walkSimpleCommands(
    command,
    (simple) => {
      const parsed = parseSupabaseCommand(unwrapCommand(simple.words).argv);
      if (parsed?.unknown) found.add(parsed.unknown);
    },
    NESTED_COMMAND_DEPTH,
  );
  return [...found];
}

export interface StaleCommandReplacement {
  /** What the Quick Fix says it does. */
  title: string;
  /** The command that replaces the stale one, as it will be written in the runbook. */
  text: string;
}

export interface StaleCommandFix {
  /** Columns of the stale invocation on the line: from `supabase` to the end of its arguments. */
  start: number;
  end: number;
  /** The stale command as the CLI names it: `supabase functions logs`. */
  command: string;
  /** Working commands that replace it as text, best first; empty when no text does the same. */
  replacements: StaleCommandReplacement[];
  /**
   * For `supabase functions logs`: the function whose logs were wanted, as written (`generate-content`, `<name>`).
   * The Quick Fix offers the extension's own log tail (runbook.tailFunctionLogs) for it.
   */
  functionName?: string;
}

// `supabase functions logs …` and `supabase db remote [status|changes|commit] …`, to the end of the simple command.
const STALE_INVOCATION = /\bsupabase\s+(?:functions\s+logs|db\s+remote)\b[^;&|#)\n]*/g;

/** The stale `supabase` invocations written on one line of a runbook, each with its replacements. */
export function staleCommandFixes(line: string): StaleCommandFix[] {
  const fixes: StaleCommandFix[] = [];
  STALE_INVOCATION.lastIndex = 0;
  for (let m = STALE_INVOCATION.exec(line); m; m = STALE_INVOCATION.exec(line)) {
    const written = m[0].replace(/\s+$/, '');
    const words = written.split(/\s+/);
    const parsed = parseSupabaseCommand(words);
    if (!parsed?.gone) continue;
    const fix: StaleCommandFix = { start: m.index, end: m.index + written.length, command: '', replacements: [] };
    if (words[1] === 'functions') {
      fix.command = 'supabase functions logs';
      const rest = words.slice(3);
      const name = positional(rest);
      if (name) fix.functionName = name;
      const remote = remoteFlag(rest);
      fix.replacements.push({
        title: `Replace with \`supabase logs ${remote} --service functions\` (every function's logs; press L in the viewer for newer ones)`,
        text: `supabase logs ${remote} --service functions`,
      });
    } else {
      const sub = words[3];
      const rest = sub === 'status' || sub === 'changes' || sub === 'commit' ? words.slice(4) : words.slice(3);
      fix.command = `supabase db remote${sub === 'changes' || sub === 'commit' || sub === 'status' ? ` ${sub}` : ''}`;
      const remote = remoteFlag(rest);
      const kept = withoutProjectFlags(rest);
      if (sub === 'changes')
        fix.replacements.push({
          title: `Replace with \`supabase db diff ${remote}\``,
          text: join('supabase db diff', remote, kept),
        });
      else if (sub === 'commit')
        fix.replacements.push({
          title: `Replace with \`supabase db pull ${remote}\``,
          text: join('supabase db pull', remote, kept),
        });
      else
        fix.replacements.push(
          {
            title: `Replace with \`supabase migration list ${remote}\` (the migrations the hosted database has)`,
            text: `supabase migration list ${remote}`,
          },
          {
            title: `Replace with \`supabase inspect db db-stats ${remote}\` (the hosted database's health)`,
            text: `supabase inspect db db-stats ${remote}`,
          },
        );
    }
    fixes.push(fix);
  }
  return fixes;
}

/** The first argument that is not a flag or a flag's value. */
function positional(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--project-ref') {
      i++;
      continue;
    }
    if (!a.startsWith('-')) return a;
  }
  return undefined;
}

/** `--remote=<ref>` when the old command named its project with `--project-ref`, else `--remote` (the linked one). */
function remoteFlag(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--project-ref' && args[i + 1]) return `--remote=${args[i + 1]}`;
    if (args[i].startsWith('--project-ref=')) return `--remote=${args[i].slice('--project-ref='.length)}`;
  }
  return '--remote';
}

function withoutProjectFlags(args: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--project-ref') i++;
    else if (!args[i].startsWith('--project-ref=') && args[i] !== '--linked') kept.push(args[i]);
  }
  return kept;
}

function join(command: string, remote: string, rest: readonly string[]): string {
  return [command, remote, ...rest].join(' ');
}
