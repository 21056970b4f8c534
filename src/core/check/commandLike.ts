// Whether an untagged code block holds commands someone would run (and so should say its language) rather than
// output, logs, a diagram or a table, which runbooks show in plain fences all the time and are right to.

const PROGRAMS = new Set(
  (
    'apt apt-get aws az bash brew cat cd chmod chown cp createdb curl date df dig docker docker-compose dropdb du ' +
    'echo export gcloud gh git grep helm heroku journalctl jq kill kubectl ln ls make mkdir mv mysql nc netstat ' +
    'nslookup npm npx oc openssl patronictl pg_basebackup pg_ctl pg_dump pg_dumpall pg_restore pgbench ping pkill ' +
    'pnpm ps psql python python3 redis-cli rm rsync scp sed service ssh sudo supabase systemctl tail tar terraform ' +
    'top touch vercel wget yarn'
  ).split(' '),
);
const PROMPT = /^\s*(?:\$|#|%|[\w.-]+@[\w.-]+\S*[$#])\s+\S/;
const SQL_STATEMENT =
  /^\s*(?:select\s.+\bfrom\b|select\s+[\w*(]|insert\s+into|update\s+\S+\s+set|delete\s+from|alter\s+(?:table|index|role|database)|create\s+(?:table|index|role|extension|schema|function|view)|drop\s+(?:table|index|role|schema)|grant\s|revoke\s|vacuum\b|analyze\b|explain\b|truncate\b|reindex\b|begin;|commit;)/i;
// Log and output lines: timestamps, log levels, table borders and rows, key=value dumps.
const OUTPUT =
  /^\s*(?:\d{4}-\d{2}-\d{2}|\d{2}:\d{2}:\d{2}|\[?(?:INFO|WARN|WARNING|ERROR|DEBUG|FATAL|TRACE)\b|[+|─│┌└├╭]|[-=]{3,}|\(\d+ rows?\))/;

function isCommandLine(line: string): boolean {
  if (PROMPT.test(line) || SQL_STATEMENT.test(line)) return true;
  const first = line.trim().split(/\s+/, 1)[0] ?? '';
  return PROGRAMS.has(first) || /^\.{0,2}\/[\w./-]+\.(?:sh|py)$/.test(first);
}

/** True when most lines of the block read as commands to run and none reads as log or table output. */
export function looksLikeCommands(body: string): boolean {
  const lines = body.split('\n').filter((line) => line.trim() !== '' && !/^\s*(?:#|--|\/\/)\s/.test(line));
  if (lines.length === 0 || lines.some((line) => OUTPUT.test(line))) return false;
  const commands = lines.filter(isCommandLine).length;
  return commands > 0 && commands * 2 >= lines.length;
}
