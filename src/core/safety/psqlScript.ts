// What the SQL handed to psql (`-c '…'`, a here-document, a here-string) can change. The SQL is judged by the
// same rules as the runbook's SQL blocks, read by our own lexer (core/sql/lexicalClassification), since no parser
// is loaded here. psql's own backslash commands are judged here: most only
// describe (`\dt`, `\x`), a few run files, shell commands or query results, or write files.
import { classifySqlTextWithoutParser } from '../sql/lexicalClassification';

/** Why the psql input can change something, one reason per dangerous part; empty when it only reads. */
export function psqlScriptRisks(script: string): string[] {
  const reasons: string[] = [];
  const sqlLines: string[] = [];
  for (const line of script.split('\n')) {
    const meta = metaCommandStart(line);
    sqlLines.push(meta === -1 ? line : line.slice(0, meta));
    if (meta !== -1) {
      const reason = metaCommandRisk(line.slice(meta));
      if (reason) reasons.push(reason);
    }
  }
  const verdict = classifySqlTextWithoutParser(sqlLines.join('\n'));
  if (verdict.risk !== 'read') reasons.unshift(`psql runs SQL that ${riskWords(verdict.risk)}: ${verdict.reason}.`);
  return reasons;
}

function riskWords(risk: 'write' | 'schema' | 'admin'): string {
  if (risk === 'write') return 'changes data';
  if (risk === 'schema') return 'changes the schema';
  return 'changes the server, its roles or other sessions';
}

/**
 * Offset of the first backslash command on the line (`\dt`, or `\gexec` after a query), outside quotes; -1 when
 * there is none. psql ends the SQL part of a line at an unquoted backslash.
 */
function metaCommandStart(line: string): number {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      continue;
    }
    if (c === '-' && line[i + 1] === '-') return -1;
    if (c === '\\' && /[A-Za-z!?]/.test(line[i + 1] ?? '')) return i;
  }
  return -1;
}

// Backslash commands that only show things or set psql's own display options.
const DESCRIBING =
  /^(d[A-Za-z+]*|l\+?|list|x|timing|conninfo|c|connect|encoding|echo|qecho|warn|pset|a|t|H|f|C|T|z|sf\+?|sv\+?|set|unset|q|quit|\?|h|help|errverbose|dp|du|dn|dt|copyright|p|print|r|reset|if|elif|else|endif|getenv|prompt|g|gx|gset|gdesc|crosstabview|bind|parse|close|startpipeline|endpipeline|syncpipeline|flushrequest|flush|getresults|sendpipeline)$/;

function metaCommandRisk(text: string): string | undefined {
  const [command = '', ...args] = text.slice(1).trim().split(/\s+/);
  const name = command.replace(/[^A-Za-z!?+].*$/, '');
  const argument = args.join(' ');
  switch (name) {
    case '!':
      return `psql's \\! runs a shell command (${argument || 'an interactive shell'}).`;
    case 'i':
    case 'include':
    case 'ir':
    case 'include_relative':
      return `psql's \\${name} runs the SQL in ${argument || 'a file'}, which the runbook does not show.`;
    case 'o':
    case 'out':
      return argument ? `psql's \\o writes query output to ${argument}.` : undefined;
    case 'w':
    case 'write':
      return `psql's \\w writes the query buffer to ${argument || 'a file'}.`;
    case 'gexec':
      return "psql's \\gexec runs each value the query returns as SQL, which this check cannot see.";
    case 'copy':
      return /\bfrom\b/i.test(argument)
        ? `psql's \\copy … from writes rows into ${args[0] ?? 'a table'}.`
        : /\bto\b/i.test(argument) && !/\bto\s+(stdout|pstdout)\b/i.test(argument)
          ? `psql's \\copy … to writes a file.`
          : undefined;
    case 'lo_import':
      return "psql's \\lo_import stores a file in the database.";
    case 'lo_unlink':
      return "psql's \\lo_unlink deletes a large object.";
    case 'lo_export':
      return "psql's \\lo_export writes a file.";
    case 'e':
    case 'edit':
    case 'ef':
    case 'ev':
      return `psql's \\${name} opens an editor and runs what is saved.`;
    case 's':
      return argument ? `psql's \\s writes the command history to ${argument}.` : undefined;
    case 'g':
    case 'gx':
      return argument ? `psql's \\${name} writes the result to ${argument}.` : undefined;
    default:
      return DESCRIBING.test(name) ? undefined : `psql's \\${name} is not known to only read; treated as a change.`;
  }
}
