// runbook-companion: the command line over the same core the extension uses.
import { readFileSync } from 'node:fs';
import { parseRunbook } from './core/model/parseRunbook';
import { formatOutline } from './core/model/outline';
import { checkRunbook } from './core/check/checkRunbook';
import { STANDARD_CHECKERS } from './core/check/standardCheckers';
import { checkAgainstDatabase, connectionFromUrl } from './node/check/checkAgainstDatabase';
import { healthCommand, HEALTH_USAGE } from './node/health/healthCommand';

const USAGE = `Usage:
  runbook-companion inspect <file> [--json]   print the runbook model (outline, or JSON)
  runbook-companion check <file> [--json]     report structural problems; exit 1 when any is found
      [--db <postgres-url>] [--param name=value]… [--timeout <seconds>]
                                               also run every read-only SQL snippet on that database, inside
                                               READ ONLY transactions that are rolled back (the password may
                                               come from PGPASSWORD instead of the URL); --timeout is each
                                               statement's statement_timeout (default 15)
${HEALTH_USAGE}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // Its own options and exit codes (the monitoring-plugins convention, where 2 means CRITICAL, not a usage error).
  if (command === 'health')
    return healthCommand(rest, {
      env: process.env,
      cwd: process.cwd(),
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
    });
  const json = rest.includes('--json');
  const options = parseOptions(rest);
  if (typeof options === 'string') {
    process.stderr.write(`runbook-companion: ${options}\n\n${USAGE}`);
    return 2;
  }
  const file = options.file;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  if (!file) {
    process.stderr.write(`runbook-companion ${command}: a runbook file is required\n\n${USAGE}`);
    return 2;
  }
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    process.stderr.write(
      `runbook-companion: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`,
    );
    return 2;
  }
  const runbook = parseRunbook(source);
  switch (command) {
    case 'inspect':
      process.stdout.write(json ? `${JSON.stringify(runbook, null, 2)}\n` : `${formatOutline(runbook, file)}\n`);
      return 0;
    case 'check': {
      const problems = checkRunbook(runbook, source, STANDARD_CHECKERS);
      let database: Awaited<ReturnType<typeof checkAgainstDatabase>> | undefined;
      if (options.db) {
        let connection;
        try {
          connection = connectionFromUrl(options.db);
        } catch (error) {
          process.stderr.write(`runbook-companion: ${(error as Error).message}\n`);
          return 2;
        }
        database = await checkAgainstDatabase(runbook, connection, options.params, options.timeoutSeconds * 1000);
      }
      const failed =
        problems.length > 0 || Boolean(database && (database.failures.length > 0 || database.connectionError));
      if (json) {
        process.stdout.write(
          `${JSON.stringify(
            {
              file,
              problems: problems.map((p) => ({ ...p, line: p.line + 1 })),
              ...(database
                ? {
                    database: {
                      ...database,
                      failures: database.failures.map((f) => ({ ...f, line: f.line + 1 })),
                      skipped: database.skipped.map((s) => ({ ...s, line: s.line + 1 })),
                    },
                  }
                : {}),
            },
            null,
            2,
          )}\n`,
        );
        return failed ? 1 : 0;
      }
      for (const p of problems) {
        process.stdout.write(`${file}:${p.line + 1}: ${p.severity}: ${p.message} [${p.code}]\n`);
        if (p.detail) process.stdout.write(`    ${p.detail}\n`);
      }
      process.stdout.write(
        problems.length
          ? `${problems.length} problem${problems.length === 1 ? '' : 's'} found\n`
          : 'No problems found\n',
      );
      if (database) {
        if (database.connectionError) process.stdout.write(`database: ${database.connectionError}\n`);
        for (const f of database.failures)
          process.stdout.write(
            `${file}:${f.line + 1}: error: SQL fails on the database: ${f.message}${f.code ? ` (SQLSTATE ${f.code})` : ''}${f.hint ? `. Hint: ${f.hint}` : ''}${f.advice ? ` — ${f.advice}` : ''} [sql-fails]\n`,
          );
        for (const s of database.skipped) process.stdout.write(`${file}:${s.line + 1}: info: ${s.reason}\n`);
        process.stdout.write(
          `database: ${database.passed} of ${database.ran} read-only statements ran, ${database.failures.length} failed, ${database.skipped.length} not run\n`,
        );
      }
      return failed ? 1 : 0;
    }
    default:
      process.stderr.write(`runbook-companion: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

interface CliOptions {
  file?: string;
  db?: string;
  params: Map<string, string>;
  timeoutSeconds: number;
}

function parseOptions(args: string[]): CliOptions | string {
  const options: CliOptions = { params: new Map(), timeoutSeconds: 15 };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json') continue;
    if (a === '--db' || a.startsWith('--db=')) {
      options.db = a.includes('=') ? a.slice(5) : args[++i];
      if (!options.db) return '--db needs a postgres:// URL';
    } else if (a === '--param' || a.startsWith('--param=')) {
      const pair = a.includes('=') && a.startsWith('--param=') ? a.slice(8) : args[++i];
      const eq = pair?.indexOf('=') ?? -1;
      if (!pair || eq < 1) return `--param wants name=value, got "${pair ?? ''}"`;
      options.params.set(pair.slice(0, eq), pair.slice(eq + 1));
    } else if (a === '--timeout' || a.startsWith('--timeout=')) {
      const value = Number(a.includes('=') ? a.slice(10) : args[++i]);
      if (!Number.isFinite(value) || value <= 0) return '--timeout wants a number of seconds';
      options.timeoutSeconds = value;
    } else if (a.startsWith('--')) {
      return `unknown option ${a}`;
    } else if (!options.file) {
      options.file = a;
    } else {
      return `unexpected argument "${a}"`;
    }
  }
  return options;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`runbook-companion: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 2;
  },
);
