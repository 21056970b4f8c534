// `runbook-companion health`: the panel's checks, once, for cron and CI. The key comes from SUPABASE_ANON_KEY and the
// Management API token from SUPABASE_ACCESS_TOKEN, never from a flag (flags end up in shell history and process
// lists). Exit status follows the monitoring-plugins convention; a usage error is UNKNOWN (3), not CRITICAL.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRunbook } from '../../core/model/parseRunbook';
import { exitCodeOf, EXIT_CODES, formatHealthReport } from '../../core/health/healthReport';
import { isLocalApiUrl, LOCAL_STACK_ANON_KEY, looksPrivileged, publicKeyOf } from '../../core/health/projectKey';
import { PROJECT_REF } from '../../core/projects/linkedProject';
import { maskSecrets } from '../../core/secrets/maskSecrets';
import { connectionFromUrl } from '../check/checkAgainstDatabase';
import { PgRunner } from '../pg/pgRunner';
import { ManagementApiClient, MANAGEMENT_API_URL } from '../supabase/managementApiClient';
import { runHealthOnce } from './runHealthOnce';
import type { HealthTarget } from './pollCheck';

export const HEALTH_USAGE = `  runbook-companion health --api-url <url> --once [--json]
      [--db <postgres-url>] [--runbook <file>] [--ref <ref>] [--management-api-url <url>]
                                               run the runbook's health checks once against a project; exit 0 OK,
                                               1 WARNING, 2 CRITICAL, 3 UNKNOWN. The key is read from
                                               SUPABASE_ANON_KEY (the local stack's default for a local URL), the
                                               token for the Management API from SUPABASE_ACCESS_TOKEN (with --ref);
                                               the database password from PGPASSWORD or the URL
`;

interface HealthOptions {
  apiUrl?: string;
  db?: string;
  runbook?: string;
  ref?: string;
  managementApiUrl: string;
  once: boolean;
  json: boolean;
}

export interface CommandIo {
  env: NodeJS.ProcessEnv;
  cwd: string;
  out: (text: string) => void;
  err: (text: string) => void;
}

const UNKNOWN = EXIT_CODES.unknown;

export async function healthCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const options = parseHealthOptions(args);
  if (typeof options === 'string') {
    io.err(`runbook-companion health: ${options}\n\nUsage:\n${HEALTH_USAGE}`);
    return UNKNOWN;
  }
  if (!options.once) {
    io.err(
      "runbook-companion health: pass --once. The command line runs the checks once (for cron and CI); VS Code's health panel keeps polling.\n",
    );
    return UNKNOWN;
  }
  if (!options.apiUrl) {
    io.err(`runbook-companion health: --api-url is required (https://<ref>.supabase.co, or http://127.0.0.1:54321)\n`);
    return UNKNOWN;
  }
  try {
    new URL(options.apiUrl);
  } catch {
    io.err(`runbook-companion health: --api-url "${options.apiUrl}" is not a URL\n`);
    return UNKNOWN;
  }
  const runbookPath = options.runbook ?? findRunbook(io.cwd);
  if (!runbookPath) {
    io.err(
      'runbook-companion health: no runbook found here (RUNBOOK.md, runbook*.md, runbooks/*.md); pass --runbook <file>\n',
    );
    return UNKNOWN;
  }
  let source: string;
  try {
    source = readFileSync(runbookPath, 'utf8');
  } catch (error) {
    io.err(
      `runbook-companion health: cannot read ${runbookPath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`,
    );
    return UNKNOWN;
  }
  const runbook = parseRunbook(source);
  if (!runbook.typed.monitoringEndpoints && !options.db) {
    io.err(
      `runbook-companion health: ${runbookPath} has no Monitoring Endpoints table and no --db was given: nothing to check\n`,
    );
    return UNKNOWN;
  }

  const secrets: string[] = [];
  const token = io.env.SUPABASE_ACCESS_TOKEN?.trim() || undefined;
  if (token) secrets.push(token);
  if (options.ref && !PROJECT_REF.test(options.ref)) {
    io.err(`runbook-companion health: --ref "${options.ref}" is not a project ref (20 lowercase letters or digits)\n`);
    return UNKNOWN;
  }
  const management =
    token && options.ref
      ? new ManagementApiClient({ baseUrl: options.managementApiUrl, token: () => token })
      : undefined;

  let runner: PgRunner | undefined;
  const target: HealthTarget = { apiUrl: options.apiUrl };
  let keySource: string | undefined;
  const notes: string[] = [];
  try {
    const envKey = io.env.SUPABASE_ANON_KEY?.trim() || undefined;
    if (envKey && looksPrivileged(envKey)) {
      io.err(
        'runbook-companion health: SUPABASE_ANON_KEY holds a service role or secret key. The health checks use only the anon or publishable key; set that instead.\n',
      );
      return UNKNOWN;
    }
    if (envKey) {
      target.key = envKey;
      keySource = 'SUPABASE_ANON_KEY';
    } else if (management && options.ref) {
      try {
        const found = publicKeyOf(await management.apiKeys(options.ref));
        if (found) {
          target.key = found.key;
          keySource = `the Management API (${found.kind} key)`;
        }
      } catch (error) {
        notes.push(`The key could not be fetched from the Management API: ${(error as Error).message}`);
      }
    }
    if (!target.key && isLocalApiUrl(options.apiUrl)) {
      target.key = LOCAL_STACK_ANON_KEY;
      keySource = "the local stack's default anon key";
    }
    if (target.key) secrets.push(target.key);
    if (management && options.ref) target.management = { client: management, ref: options.ref };

    if (options.db) {
      let connection;
      try {
        connection = connectionFromUrl(options.db, io.env);
      } catch (error) {
        io.err(`runbook-companion health: ${(error as Error).message}\n`);
        return UNKNOWN;
      }
      if (connection.password) secrets.push(connection.password);
      runner = new PgRunner({
        connection: { ...connection, applicationName: 'runbook-companion health' },
        poolSize: 1,
      });
      target.database = async () => runner;
    }

    const view = await runHealthOnce({
      runbook,
      runbookName: runbookPath,
      project: {
        project: options.ref ?? new URL(options.apiUrl).host,
        label: options.ref ?? new URL(options.apiUrl).host,
        apiUrl: options.apiUrl,
        ...(options.ref ? { ref: options.ref } : {}),
        production: false,
      },
      target,
      ...(keySource ? { keySource } : {}),
    });
    view.notes.push(...notes);
    const text = options.json
      ? `${JSON.stringify({ runbook: runbookPath, exitCode: exitCodeOf(view), ...view }, null, 2)}\n`
      : formatHealthReport(view, runbookPath);
    // Belt and braces: nothing the checks saw may print a key, token or password.
    io.out(maskSecrets(text, secrets));
    return exitCodeOf(view);
  } finally {
    await runner?.dispose();
    await management?.close();
  }
}

function parseHealthOptions(args: readonly string[]): HealthOptions | string {
  const options: HealthOptions = { managementApiUrl: MANAGEMENT_API_URL, once: false, json: false };
  const valueOf = (i: number, name: string): string | undefined => {
    const a = args[i];
    return a.startsWith(`${name}=`) ? a.slice(name.length + 1) : args[i + 1];
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const takes = (name: string) => a === name || a.startsWith(`${name}=`);
    const next = (name: string) => {
      const value = valueOf(i, name);
      if (a === name) i++;
      return value;
    };
    if (a === '--once') options.once = true;
    else if (a === '--json') options.json = true;
    else if (takes('--api-url')) options.apiUrl = next('--api-url');
    else if (takes('--db')) options.db = next('--db');
    else if (takes('--runbook')) options.runbook = next('--runbook');
    else if (takes('--ref')) options.ref = next('--ref');
    else if (takes('--management-api-url')) options.managementApiUrl = next('--management-api-url') ?? '';
    else if (/^--(key|anon-key|apikey|api-key|token|access-token|service-role-key|password)\b/.test(a))
      return `${a.split('=')[0]} is not an option: keys and tokens come from the environment (SUPABASE_ANON_KEY, SUPABASE_ACCESS_TOKEN, PGPASSWORD), never from a flag that shell history and process lists would keep`;
    else if (a.startsWith('--')) return `unknown option ${a}`;
    else return `unexpected argument "${a}"`;
    for (const [key, value] of Object.entries(options))
      if (value === undefined && ['apiUrl', 'db', 'runbook', 'ref'].includes(key)) return `${a} needs a value`;
  }
  return options;
}

/** RUNBOOK.md, runbook*.md or runbooks/*.md in the working folder, the first with a Monitoring Endpoints table. */
function findRunbook(cwd: string): string | undefined {
  const candidates: string[] = [];
  const list = (dir: string) => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  };
  for (const name of list(cwd))
    if (/^(RUNBOOK|runbook.*|Runbook.*|.*-runbook)\.md$/.test(name)) candidates.push(join(cwd, name));
  for (const name of list(join(cwd, 'runbooks')))
    if (name.endsWith('.md')) candidates.push(join(cwd, 'runbooks', name));
  const withTables = candidates.find(
    (file) => existsSync(file) && /\|\s*Endpoint\s*\|\s*Purpose\s*\|/i.test(readFileSync(file, 'utf8')),
  );
  return withTables ?? candidates[0];
}
