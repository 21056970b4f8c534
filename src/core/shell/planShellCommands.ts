// Prepares runbook shell commands for the terminal, in this order: placeholders quoted in (secrets as variable
// references), the active project targeted, project URLs pointed at it, the Supabase CLI binary chosen, then the
// risk judged and the project each command really reaches worked out on the text that will be typed.
import { describeTarget as describeDatabase, type LinkedProject } from '../projects/linkedProject';
import {
  substitutePlaceholders,
  PlaceholderSubstitutionError,
  type PlaceholderValues,
  type VariableReferences,
} from '../bash/substitutePlaceholders';
import { targetProject, type ActiveProject } from '../supabase/targetProject';
import { rewriteProjectUrls } from '../supabase/rewriteProjectUrls';
import {
  resolveSupabaseInvocation,
  type SupabaseBinaryChoice,
  type SupabaseEnvironment,
} from '../supabase/supabaseInvocation';
import { classifyShellRisk } from '../safety/shellRisk';
import { isLongRunning, opensInteractivePsql, runsUntilStopped } from '../safety/longRunning';
import {
  describeTarget,
  isElsewhere,
  primaryTarget,
  resolveCommandTargets,
  type CommandTarget,
  type KnownProject,
  type TargetContext,
} from '../targets/commandTarget';
import { credentialNeeds, type CredentialNeeds } from '../safety/credentialNeeds';
import { staleSupabaseCommands } from '../supabase/staleCommands';
import { unfinishedCommandMessage } from '../bash/openConstructs';
import { optionRisks } from '../bash/placeholderUses';
import type { ShellCommand } from '../bash/splitShellSnippet';

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

export interface PlanContext {
  /** The project selected in the extension. */
  project: LinkedProject;
  /** Every project the workspace knows. */
  projects: readonly LinkedProject[];
  /** The ref `supabase link` recorded in the folder the commands run in. */
  linkedRef?: string;
  supabase: SupabaseEnvironment;
  /** Major version of the CLI binary that will run. */
  cliMajorVersion: number;
  /** A passwordless URL for a local database that is not the stack's default. */
  databaseUrl?: string;
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

export function toKnownProject(project: LinkedProject): KnownProject {
  return {
    name: project.name,
    ...(project.ref ? { ref: project.ref } : {}),
    isLocal: project.isLocal,
    isLocalStack: project.source === 'local stack',
    production: project.production,
    ...(project.db ? { db: { host: project.db.host, port: project.db.port } } : {}),
  };
}

/** The selected project as targeting sees it: name, ref, local or not, and the URL of a local database off the default. */
function activeProjectOf({ project, databaseUrl }: PlanContext): ActiveProject {
  return {
    name: project.name,
    isLocal: project.isLocal,
    ...(project.ref ? { ref: project.ref } : {}),
    ...(databaseUrl ? { databaseUrl } : {}),
  };
}

/** What targeting needs to know: the active project and every known one, the CLI's version, the linked ref. */
export function targetContextOf(context: PlanContext): TargetContext {
  return {
    active: toKnownProject(context.project),
    projects: context.projects.map(toKnownProject),
    cliMajorVersion: context.cliMajorVersion,
    ...(context.linkedRef ? { linkedRef: context.linkedRef } : {}),
  };
}

/**
 * Where a command as written in the runbook would go, before any value is asked for: for lenses. Placeholders stay
 * in the text (a `--remote=<ref>` counts as an unknown remote until its value is known).
 */
export function previewTargets(commandText: string, context: PlanContext): CommandTarget[] {
  return previewWith(commandText, activeProjectOf(context), targetContextOf(context), context.cliMajorVersion);
}

function previewWith(
  commandText: string,
  active: ActiveProject,
  targetContext: TargetContext,
  cliMajorVersion: number,
): CommandTarget[] {
  const targeted = targetProject(commandText, active, { cliMajorVersion });
  return resolveCommandTargets(targeted.text, targetContext);
}

// The lenses ask again on every refresh (each edit, each change of a run's state) for the same commands of a parse.
const previews = new WeakMap<ShellCommand, { key: string; targets: readonly CommandTarget[] }>();

/**
 * `previewTargets` of each command (none for an unfinished one), kept per ShellCommand object for as long as
 * everything the answer depends on stays the same: the selected project, every known project, the CLI's major
 * version, the linked ref and the local database URL. Do not mutate the arrays.
 */
export function previewCommandTargets(
  commands: readonly ShellCommand[],
  context: PlanContext,
): ReadonlyArray<readonly CommandTarget[]> {
  const active = activeProjectOf(context);
  const targetContext = targetContextOf(context);
  const key = JSON.stringify([active, targetContext]);
  return commands.map((command) => {
    if (command.incomplete) return [];
    const kept = previews.get(command);
    if (kept?.key === key) return kept.targets;
    const targets = previewWith(command.text, active, targetContext, context.cliMajorVersion);
    previews.set(command, { key, targets });
    return targets;
  });
}
