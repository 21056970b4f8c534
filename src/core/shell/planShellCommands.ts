// Prepares runbook shell commands for the terminal, in this order: placeholders quoted in (secrets as variable
// references), the active project targeted, project URLs pointed at it, the Supabase CLI binary chosen, then the
// risk judged and the project each command really reaches worked out on the text that will be typed.
import { describeTarget as describeDatabase } from '../projects/linkedProject';
import {
  substitutePlaceholders,
  PlaceholderSubstitutionError,
  type PlaceholderValues,
  type VariableReferences,
} from '../bash/substitutePlaceholders';
import { targetProject } from '../supabase/targetProject';
import { rewriteProjectUrls } from '../supabase/rewriteProjectUrls';
import { resolveSupabaseInvocation, type SupabaseBinaryChoice } from '../supabase/supabaseInvocation';
import { classifyShellRisk } from '../safety/shellRisk';
import { isLongRunning, opensInteractivePsql, runsUntilStopped } from '../safety/longRunning';
import {
  describeTarget,
  isElsewhere,
  primaryTarget,
  resolveCommandTargets,
  type CommandTarget,
} from '../targets/commandTarget';
import { credentialNeeds, type CredentialNeeds } from '../safety/credentialNeeds';
import { staleSupabaseCommands } from '../supabase/staleCommands';
import { unfinishedCommandMessage } from '../bash/openConstructs';
import { optionRisks } from '../bash/placeholderUses';
import type { ShellCommand } from '../bash/splitShellSnippet';
import { activeProjectOf, targetContextOf, type PlanContext } from './commandTargetsPreview';

export interface PlannedCommand {
  /** As written in the runbook. */
  original: string;
  /** What will be typed into the terminal. */
  text: string;
  /** The same as the user reads it: `supabase` where the text has the binary's absolute path. */
  display: string;
  line: number;
  endLine: number;
  risky: boolean;
  reasons: string[];
  /** Takes long or never ends by itself (`supabase start`, `--tail`, `watch`). */
  longRunning: boolean;
  /** Never ends by itself: gets a terminal of its own and the block goes on without waiting for it. */
  untilStopped: boolean;
  /** The projects the command reaches (the active one for commands without `supabase`). */
  targets: CommandTarget[];
  /** `supabase` subcommands the CLI does not have, each with what to use instead. */
  stale: string[];
  /** The secrets its terminal needs: the active project's database password, the access token. */
  credentials: CredentialNeeds;
  /** Which Supabase CLI its `supabase` calls run: the workspace's, PATH's, or npx when there is neither. */
  supabaseBinary?: SupabaseBinaryChoice;
}

export interface ShellPlan {
  commands: PlannedCommand[];
  /** Rewrites the user is told about: URLs, added target flags. */
  notices: string[];
  /** Things worth knowing that were left as written (for the log). */
  notes: string[];
  /** Things the user must see before running: un-targetable `supabase` calls. */
  warnings: string[];
  /** Reasons not to run at all, each naming its line. */
  problems: string[];
}

export function planShellCommands(
  commands: readonly ShellCommand[],
  values: PlaceholderValues,
  context: PlanContext,
  secretVariables: VariableReferences = {},
): ShellPlan {
  const plan: ShellPlan = { commands: [], notices: [], notes: [], warnings: [], problems: [] };
  const { project } = context;
  const targetContext = targetContextOf(context);
  for (const command of commands) {
    if (command.incomplete) {
      plan.problems.push(unfinishedCommandMessage(command.endLine, command.incomplete));
      continue;
    }
    let text: string;
    // A value that starts with "-" where the command reads options (`sort -oFILE` writes FILE): asked first.
    const optionReasons = optionRisks(command.text, values);
    try {
      text = substitutePlaceholders(command.text, values, secretVariables);
    } catch (error) {
      if (error instanceof PlaceholderSubstitutionError) {
        plan.problems.push(`Line ${command.line + 1}: ${error.message}`);
        continue;
      }
      throw error;
    }
    const targeted = targetProject(text, activeProjectOf(context), { cliMajorVersion: context.cliMajorVersion });
    text = targeted.text;
    plan.notices.push(...targeted.changes);
    plan.notes.push(...targeted.notes);
    plan.warnings.push(...targeted.warnings.map((w) => `Line ${command.line + 1}: ${w}`));
    if (project.apiUrl) {
      try {
        const urls = rewriteProjectUrls(text, project.apiUrl);
        text = urls.text;
        plan.notices.push(...urls.notices);
      } catch (error) {
        plan.problems.push(`Line ${command.line + 1}: ${(error as Error).message}`);
        continue;
      }
    }
    // Targets and staleness are read before the binary is swapped in: an absolute path hides nothing from them.
    const targets = resolveCommandTargets(text, targetContext);
    const credentials = credentialNeeds(text, targetContext);
    const stale = staleSupabaseCommands(text);
    if (opensInteractivePsql(text)) {
      const where = primaryTarget(targets);
      const address = !isElsewhere(where) && project.db ? ` (${describeDatabase(project)})` : '';
      plan.notices.push(
        `psql opens an interactive session on ${describeTarget(where)}${address}: what you type there runs there.`,
      );
    }
    const display = text;
    const invocation = resolveSupabaseInvocation(text, context.supabase);
    text = invocation.text;
    const risk = classifyShellRisk(text);
    plan.notes.push(...risk.notes);
    plan.commands.push({
      original: command.text,
      text,
      display,
      line: command.line,
      endLine: command.endLine,
      risky: risk.level === 'risky' || optionReasons.length > 0,
      reasons: [...optionReasons, ...risk.reasons],
      longRunning: isLongRunning(text),
      untilStopped: runsUntilStopped(text),
      targets,
      stale,
      credentials,
      ...(invocation.chosen ? { supabaseBinary: invocation.chosen } : {}),
    });
  }
  plan.notices = [...new Set(plan.notices)];
  plan.notes = [...new Set(plan.notes)];
  plan.warnings = [...new Set(plan.warnings)];
  return plan;
}
