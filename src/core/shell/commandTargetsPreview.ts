// Where the commands of a shell snippet would go, as written in the runbook and before any value is asked for: what
// the lenses name above a block ("Run on staging", "reaches production"). Planning a run (src/core/shell/
// planShellCommands.ts) uses the same targeting; this part alone is what the lenses need, so they draw without the
// planner's safety rules, which load with the first run.
import type { LinkedProject } from '../projects/linkedProject';
import { targetProject, type ActiveProject } from '../supabase/targetProject';
import type { SupabaseEnvironment } from '../supabase/supabaseInvocation';
import {
  resolveCommandTargets,
  type CommandTarget,
  type KnownProject,
  type TargetContext,
} from '../targets/commandTarget';
import type { ShellCommand } from '../bash/splitShellSnippet';

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
export function activeProjectOf({ project, databaseUrl }: PlanContext): ActiveProject {
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
