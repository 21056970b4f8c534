// runbook-companion: the command line over the same core the extension uses.
import { readFileSync } from 'node:fs';
import { parseRunbook } from './core/model/parseRunbook';
import { formatOutline } from './core/model/outline';
import { checkRunbook } from './core/check/checkRunbook';

const USAGE = `Usage:
  runbook-companion inspect <file> [--json]   print the runbook model (outline, or JSON)
  runbook-companion check <file> [--json]     report structural problems; exit 1 when any is found
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const json = rest.includes('--json');
  const file = rest.find((a) => !a.startsWith('--'));
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
    process.stderr.write(`runbook-companion: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
    return 2;
  }
  const runbook = parseRunbook(source);
  switch (command) {
    case 'inspect':
      process.stdout.write(json ? `${JSON.stringify(runbook, null, 2)}\n` : `${formatOutline(runbook, file)}\n`);
      return 0;
    case 'check': {
      const problems = checkRunbook(runbook, source);
      if (json) process.stdout.write(`${JSON.stringify({ file, problems: problems.map((p) => ({ ...p, line: p.line + 1 })) }, null, 2)}\n`);
      else {
        for (const p of problems) process.stdout.write(`${file}:${p.line + 1}: ${p.severity}: ${p.message} [${p.code}]\n`);
        process.stdout.write(problems.length ? `${problems.length} problem${problems.length === 1 ? '' : 's'} found\n` : 'No problems found\n');
      }
      return problems.length > 0 ? 1 : 0;
    }
    default:
      process.stderr.write(`runbook-companion: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => { process.stderr.write(`runbook-companion: ${(error as Error).stack ?? String(error)}\n`); process.exitCode = 2; },
);
