// Which Supabase CLI binary runs a snippet's `supabase …`: the workspace's own (node_modules/.bin/supabase, the
// version the project pins, by its absolute path so that a `cd` in the snippet or another workspace folder does
// not lose it), else the one on the terminal's PATH, else `npx supabase`. Which binaries exist is found by the
// caller (I/O); this only rewrites the text. `supabase` inside `$(…)` is not rewritten (targetProject warns).
import { splitSimpleCommands, unwrapCommand } from '../bash/simpleCommands';
import { quoteShellWordIfNeeded } from '../bash/shellQuote';

export interface SupabaseEnvironment {
  /** Absolute path of the workspace's node_modules/.bin/supabase when it exists. */
  workspaceBin?: string;
  /** Whether `supabase` is found on PATH. */
  onPath: boolean;
}

export type SupabaseBinaryChoice = 'workspace' | 'path' | 'npx';

export interface ResolvedInvocation {
  text: string;
  /** The binary chosen for the command's `supabase` calls; undefined when the command has none. */
  chosen?: SupabaseBinaryChoice;
  /** How many `supabase` words were rewritten (0 when PATH's binary is used as written). */
  rewritten: number;
}

export function chooseSupabaseBinary(env: SupabaseEnvironment): SupabaseBinaryChoice {
  if (env.workspaceBin) return 'workspace';
  return env.onPath ? 'path' : 'npx';
}

export function resolveSupabaseInvocation(command: string, env: SupabaseEnvironment): ResolvedInvocation {
  const chosen = chooseSupabaseBinary(env);
  const replacement =
    chosen === 'workspace' ? quoteShellWordIfNeeded(env.workspaceBin!) : chosen === 'npx' ? 'npx supabase' : 'supabase';
  const spans: { start: number; end: number }[] = [];
  for (const simple of splitSimpleCommands(command)) {
    const { tokens, wrappers } = unwrapCommand(simple.words);
    // `npx supabase …` and explicit paths already say which binary to use.
    if (wrappers.some((w) => w === 'npx' || w === 'pnpx' || w === 'bunx' || w.endsWith(' dlx'))) continue;
    const first = tokens[0];
    if (first && first.raw === 'supabase') spans.push({ start: first.start, end: first.end });
  }
  if (spans.length === 0) return { text: command, rewritten: 0 };
  if (chosen === 'path') return { text: command, chosen, rewritten: 0 };
  let text = command;
  for (const span of [...spans].reverse()) text = text.slice(0, span.start) + replacement + text.slice(span.end);
  return { text, chosen, rewritten: spans.length };
}
