// Prepares a runbook shell block for the terminal: placeholders quoted in, the active project targeted,
// project URLs pointed at it, the right Supabase CLI chosen, and every risk and rewrite named.
import { substitutePlaceholders, PlaceholderSubstitutionError } from '../../core/shell/substitutePlaceholders';
import { targetProject } from '../../core/shell/targetProject';
import { rewriteProjectUrls } from '../../core/shell/rewriteProjectUrls';
import { resolveSupabaseInvocation, type SupabaseEnvironment } from '../../core/shell/supabaseInvocation';
import { classifyShellRisk } from '../../core/shell/shellRisk';
import { isLongRunning } from '../../core/shell/longRunning';
import type { ShellCommand } from '../../core/shell/splitShellSnippet';
import type { LinkedProject } from '../../core/projects/linkedProject';

export interface PlannedCommand {
  /** As written in the runbook. */
  original: string;
  /** What will be typed into the terminal. */
  text: string;
  line: number;
  risky: boolean;
  reasons: string[];
  longRunning: boolean;
}

export interface ShellPlan {
  commands: PlannedCommand[];
  /** Rewrites the user is told about: URLs, added target flags. */
  notices: string[];
  /** Things worth knowing that were left as written. */
  notes: string[];
  problems: string[];
}

export function planShellCommands(commands: readonly ShellCommand[], values: Readonly<Record<string, string>>, project: LinkedProject, supabase: SupabaseEnvironment, databaseUrl?: string): ShellPlan {
  const plan: ShellPlan = { commands: [], notices: [], notes: [], problems: [] };
  for (const command of commands) {
    let text: string;
    try {
      text = substitutePlaceholders(command.text, values);
    } catch (error) {
      if (error instanceof PlaceholderSubstitutionError) { plan.problems.push(`Line ${command.line + 1}: ${error.message}`); continue; }
      throw error;
    }
    const targeted = targetProject(text, { name: project.name, isLocal: project.isLocal, ...(project.ref ? { ref: project.ref } : {}), ...(databaseUrl ? { databaseUrl } : {}) });
    text = targeted.text;
    plan.notices.push(...targeted.changes);
    plan.notes.push(...targeted.notes);
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
    text = resolveSupabaseInvocation(text, supabase).text;
    const risk = classifyShellRisk(text);
    plan.notes.push(...risk.notes);
    plan.commands.push({ original: command.text, text, line: command.line, risky: risk.level === 'risky', reasons: risk.reasons, longRunning: isLongRunning(text) });
  }
  plan.notices = [...new Set(plan.notices)];
  plan.notes = [...new Set(plan.notes)];
  return plan;
}
