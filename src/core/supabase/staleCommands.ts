// `supabase` subcommands a runbook still uses but the CLI no longer has (`supabase functions logs`, `supabase db
// remote status`), found in every part of a command line, `$(…)` included.
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
