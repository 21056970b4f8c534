// Which of the extension's secrets a command needs in its terminal's environment: the active project's database
// password (psql and the other Postgres clients, Supabase commands that log in to the database) and the Supabase
// access token (commands that call the Management API). A terminal gets only what its run needs, and never the
// active project's password when a command of the run logs in to another database, which would receive it.
import {
  NESTED_COMMAND_DEPTH,
  unwrapCommand,
  basename,
  walkSimpleCommands,
  type SimpleCommand,
} from '../bash/simpleCommands';
import { parseSupabaseCommand, projectSelection } from '../supabase/supabaseCli';
import { postgresClientCall } from '../targets/postgresConnection';
import { describeTarget, isElsewhere, targetOfSimpleCommand, type TargetContext } from '../targets/commandTarget';

export interface CredentialNeeds {
  /** A command logs in to the active project's database: PGPASSWORD (with PGHOST, PGPORT …). */
  database: boolean;
  /** A command calls the Supabase Management API: SUPABASE_ACCESS_TOKEN. */
  managementApi: boolean;
  /** Commands that log in to another database, which must not receive the active project's password. */
  otherDatabases: string[];
}

export function credentialNeeds(command: string, context: TargetContext): CredentialNeeds {
  const needs: CredentialNeeds = { database: false, managementApi: false, otherDatabases: [] };
  visit(command, context, needs, 0);
  needs.otherDatabases = [...new Set(needs.otherDatabases)];
  return needs;
}

/** What a whole run needs: the union, except that no password goes where another database is reached. */
export function runCredentialNeeds(commands: readonly CredentialNeeds[]): CredentialNeeds {
  const otherDatabases = [...new Set(commands.flatMap((c) => c.otherDatabases))];
  return {
    database: otherDatabases.length === 0 && commands.some((c) => c.database),
    managementApi: commands.some((c) => c.managementApi),
    otherDatabases,
  };
}

// Commands in $(…) as the other checks see them; a shell's here-doc and `bash -c '…'` also count here.
function visit(text: string, context: TargetContext, needs: CredentialNeeds, startDepth: number): void {
  walkSimpleCommands(
    text,
    (simple, depth) => {
      for (const r of simple.redirections)
        if (r.hereDoc && /^(bash|sh|zsh|dash)$/.test(basename(simple.words[0]?.value ?? '')))
          visit(r.hereDoc.body, context, needs, depth + 1);
      const { argv } = unwrapCommand(simple.words);
      const program = basename(argv[0] ?? '');
      if (/^(bash|sh|zsh|dash)$/.test(program)) {
        const c = argv.findIndex((a) => a === '-c' || /^-[a-z]*c[a-z]*$/.test(a));
        if (c !== -1 && argv[c + 1] !== undefined) visit(argv[c + 1], context, needs, depth + 1);
        return;
      }
      judge(simple, context, needs);
    },
    NESTED_COMMAND_DEPTH,
    { startDepth },
  );
}

function judge(simple: SimpleCommand, context: TargetContext, needs: CredentialNeeds): void {
  const parsed = parseSupabaseCommand(unwrapCommand(simple.words).argv);
  if (parsed) {
    if (parsed.unknown || !parsed.spec) return;
    const name = parsed.path.join(' ');
    const spec = parsed.spec;
    if (spec.target === 'local-only') return;
    if (spec.target === 'remote-only' || spec.target === 'account') {
      if (!spec.withoutToken) needs.managementApi = true;
      return;
    }
    // A database, storage or logs of the local stack or of a hosted project.
    const selection = projectSelection(parsed, context.cliMajorVersion);
    const byRef = selection?.kind !== 'url' && selection?.kind !== 'local';
    if (byRef) needs.managementApi = true;
    if (!spec.database || (name === 'gen types' && byRef)) return;
    loginTo(`supabase ${name}`, simple, context, needs);
    return;
  }
  const client = postgresClientCall(simple);
  if (client) loginTo(client.program, simple, context, needs);
}

function loginTo(what: string, simple: SimpleCommand, context: TargetContext, needs: CredentialNeeds): void {
  const target = targetOfSimpleCommand(simple, context);
  if (!target || !isElsewhere(target)) {
    needs.database = true;
    return;
  }
  needs.otherDatabases.push(`${what} logs in to ${describeTarget(target)}`);
}
