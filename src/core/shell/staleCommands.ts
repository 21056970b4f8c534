// `supabase` subcommands a runbook still uses but the CLI no longer has (`supabase functions logs`, `supabase db
// remote status`), found in every part of a command line, `$(…)` included.
import { splitSimpleCommands, unwrapCommand } from './simpleCommands';
import { parseSupabaseCommand } from './supabaseCli';

/** One message per unknown `supabase` subcommand, saying what to use instead where the CLI's help tells. */
export function staleSupabaseCommands(command: string): string[] {
  const found = new Set<string>();
  const visit = (text: string, depth: number): void => {
    if (depth > 4) return;
    for (const simple of splitSimpleCommands(text)) {
      const parsed = parseSupabaseCommand(unwrapCommand(simple.words).argv);
      if (parsed?.unknown) found.add(parsed.unknown);
      const targets = simple.redirections.flatMap((r) => (r.target ? [r.target] : []));
      for (const word of [...simple.words, ...simple.assignments, ...targets]) for (const sub of word.substitutions) visit(sub, depth + 1);
    }
  };
  visit(command, 0);
  return [...found];
}
