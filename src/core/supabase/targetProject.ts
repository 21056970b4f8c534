// Makes a runbook's `supabase …` command reach the project the user picked in the extension, not whichever
// project happens to be linked (or, with CLI 3, the local stack). A snippet that already names its target keeps it.
import { NESTED_COMMAND_DEPTH, unwrapCommand, walkSimpleCommands } from '../bash/simpleCommands';
import { describeSupabaseCommand, namedProjectFlag, parseSupabaseCommand, type NamedProjectFlag } from './supabaseCli';
import { quoteShellWordIfNeeded } from '../bash/shellQuote';

export interface ActiveProject {
  /** The 20-character project ref of a hosted project; absent for the local stack or when unknown. */
  ref?: string;
  name: string;
  isLocal: boolean;
  /**
   * A passwordless postgres URL for a local database that is not the stack's default (another port, a
   * database started for tests). The password travels in PGPASSWORD, never on the command line.
   */
  databaseUrl?: string;
}

export interface TargetOptions {
  /** Major version of the Supabase CLI that will run the command; the project pins 3. */
  cliMajorVersion?: number;
}

export interface TargetedCommand {
  text: string;
  /** What was changed, for the confirmation shown before running. */
  changes: string[];
  /** Things the user should know that were not changed: a different project named, a deprecated flag, a gone subcommand. */
  notes: string[];
  /** Things the user must see before running: `supabase` calls this cannot point anywhere (inside `$(…)`). */
  warnings: string[];
}

interface Insertion {
  at: number;
  text: string;
}

export function targetProject(command: string, project: ActiveProject, options: TargetOptions = {}): TargetedCommand {
  const cli = options.cliMajorVersion ?? 3;
  const changes: string[] = [];
  const notes: string[] = [];
  const warnings: string[] = [];
  const insertions: Insertion[] = [];
  const label = project.isLocal
    ? `the local project "${project.name}"`
    : `"${project.name}"${project.ref ? ` (${project.ref})` : ''}`;

  const nested = new Set<string>();
  walkSimpleCommands(
    command,
    (simple, depth) => {
      const { argv, tokens } = unwrapCommand(simple.words);
      const parsed = parseSupabaseCommand(argv);
      if (!parsed) return;
      // `supabase …` inside $(…), backticks or <(…): its words are not in `command`, so nothing can be inserted there.
      if (depth > 0) {
        nested.add(describeSupabaseCommand(parsed));
        return;
      }
      if (parsed.unknown) {
        notes.push(parsed.unknown);
        return;
      }
      const spec = parsed.spec;
      if (!spec || spec.target === 'account' || spec.target === 'local-only') return;
      const name = describeSupabaseCommand(parsed);
      const named = namedProjectFlag(parsed);
      if (named) {
        notes.push(...checkNamedTarget(name, named, spec.target, project, label, cli));
        return;
      }
      // Flags go before a `--`, after which the CLI reads every word as an argument.
      const endOfOptions = tokens.findIndex((t, i) => i > 0 && t.raw === '--');
      const at = endOfOptions > 0 ? tokens[endOfOptions - 1].end : tokens[tokens.length - 1].end;
      const ref = project.ref ? quoteShellWordIfNeeded(project.ref) : undefined;

      if (spec.target === 'remote-only') {
        if (project.isLocal) {
          const hint =
            parsed.path[0] === 'functions' ? ' To run functions locally use `supabase functions serve`.' : '';
          notes.push(
            `${name} works on hosted projects only, so it cannot target ${label}; it would use the linked project.${hint}`,
          );
        } else if (ref) {
          const flag = cli >= 3 ? ` --remote=${ref}` : ` --project-ref ${ref}`;
          insertions.push({ at, text: flag });
          changes.push(`${name}: added${flag} so that it targets ${label}, not whichever project is linked.`);
        } else {
          notes.push(`${name} uses the linked project: check that it is ${label}.`);
        }
        return;
      }

      // Databases, storage, logs, types: local or remote.
      if (cli >= 3) {
        if (project.isLocal && project.databaseUrl) {
          const flag = ` --remote=${quoteShellWordIfNeeded(project.databaseUrl)}`;
          insertions.push({ at, text: flag });
          changes.push(`${name}: added${flag} so that it targets ${label}; the password is passed in PGPASSWORD.`);
        } else if (project.isLocal) {
          notes.push(`${name} runs against the local stack (the default of Supabase CLI 3).`);
        } else {
          const flag = ref ? ` --remote=${ref}` : ' --remote';
          insertions.push({ at, text: flag });
          changes.push(
            `${name}: added${flag} so that it targets ${label}; without it Supabase CLI 3 uses the local database.`,
          );
        }
      } else if (project.isLocal) {
        insertions.push({ at, text: ' --local' });
        changes.push(`${name}: added --local so that it targets ${label}.`);
      } else if (parsed.path.join(' ') === 'gen types' && ref) {
        insertions.push({ at, text: ` --project-id ${ref}` });
        changes.push(`${name}: added --project-id ${ref} so that it targets ${label}.`);
      } else {
        insertions.push({ at, text: ' --linked' });
        changes.push(
          `${name}: added --linked; Supabase CLI 2 reaches a hosted database only through the linked project, so check that it is ${label}.`,
        );
      }
    },
    NESTED_COMMAND_DEPTH,
  );
  for (const inner of nested) {
    warnings.push(
      `\`${inner}\` runs inside $(…) or backticks, so it is neither pointed at the workspace's Supabase CLI nor targeted at ${label}: it uses whichever CLI is on PATH and whatever project that CLI defaults to.`,
    );
  }

  let text = command;
  for (const ins of [...insertions].sort((a, b) => b.at - a.at))
    text = text.slice(0, ins.at) + ins.text + text.slice(ins.at);
  return { text, changes, notes, warnings };
}

function checkNamedTarget(
  name: string,
  named: NamedProjectFlag,
  target: 'remote-only' | 'local-or-remote',
  project: ActiveProject,
  label: string,
  cli: number,
): string[] {
  const notes: string[] = [];
  const isPlaceholder = named.value !== undefined && /^<[^>]+>$/.test(named.value);
  const value = named.value;
  const namesUrl = value !== undefined && /^postgres(ql)?:\/\//.test(value);
  if (named.flag === '--local') {
    if (target === 'remote-only') notes.push(`${name} does not accept --local: it works on hosted projects only.`);
    else if (!project.isLocal)
      notes.push(`${name} names the local database (--local), while the active project is ${label}; left as written.`);
    if (cli >= 3 && target !== 'remote-only')
      notes.push('--local is not needed with Supabase CLI 3 (local is the default) and will be removed in v4.');
    return notes;
  }
  if (named.flag === '--linked' && target === 'remote-only' && cli >= 3) {
    notes.push(
      `${name} does not accept --linked in Supabase CLI 3 (it stops with "Unrecognized flag"); it uses the linked project without it, or --remote=<ref>.`,
    );
    return notes;
  }
  if (named.flag === '--db-url' || namesUrl) {
    notes.push(`${name} names its database by URL (${named.flag}); left as written.`);
  } else if (value !== undefined && !isPlaceholder) {
    if (project.isLocal)
      notes.push(`${name} names the hosted project ${value}, while the active project is ${label}; left as written.`);
    else if (project.ref && value !== project.ref)
      notes.push(`${name} names the project ${value}, while the active project is ${label}; left as written.`);
  } else if (value === undefined && (named.flag === '--linked' || named.flag === '--remote')) {
    notes.push(
      project.isLocal
        ? `${name} names the linked project (${named.flag}), while the active project is ${label}; left as written.`
        : `${name} uses the linked project (${named.flag}): check that it is ${label}.`,
    );
  }
  if (cli >= 3 && named.flag !== '--remote') {
    const replacement =
      named.flag === '--linked' ? '--remote' : named.flag === '--db-url' ? '--remote=<db-url>' : '--remote=<ref>';
    notes.push(`${named.flag} is deprecated in Supabase CLI 3 and will be removed in v4; use ${replacement}.`);
  }
  return notes;
}
