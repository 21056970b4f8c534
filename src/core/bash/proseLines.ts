// Lines inside a bash fence that are really instructions for a person ("1. Immediately revoke compromised
// secret"). Runbooks do this for manual procedures; running such a line would only give "command not found",
// so the extension offers these lines as a checklist instead.

export interface ProseMatch {
  text: string;
  ordinal?: number;
}

// `1. Word` or `1) Word`: no command starts with digits followed by a dot or parenthesis and a space. Matched on the
// line without its trailing blanks: a lazy `(.*?)\s*$` retries at every blank of a long run, which is quadratic.
const NUMBERED = /^\s*(\d{1,3})[.)]\s+(\S.*)$/;
// Bullets and check boxes: `- item`, `* item`, `• item`, `□ item`, `- [ ] item`, `[x] item`.
const BULLET = /^\s*(?:[-*•▪◦]\s+(?:\[[ xX✓]\]\s+)?|[□☐☑✓✔]\s*|\[[ xX✓]\]\s+)(\S.*)$/;

export function numberedProse(line: string): ProseMatch | undefined {
  const m = NUMBERED.exec(line.trimEnd());
  return m ? { ordinal: Number(m[1]), text: stripEmphasis(m[2]) } : undefined;
}

export function bulletProse(line: string): ProseMatch | undefined {
  const m = BULLET.exec(line.trimEnd());
  return m ? { text: stripEmphasis(m[1]) } : undefined;
}

// Each match stops at the next `**` (or `__`), so an unclosed marker costs the distance to the next one, not the
// rest of the line.
function stripEmphasis(text: string): string {
  return text.replace(/\*\*((?:(?!\*\*).)+)\*\*/g, '$1').replace(/__((?:(?!__).)+)__/g, '$1');
}

// Programs and shell words that may start a real command even though they look like English ("time", "watch", "open").
const COMMAND_WORDS = new Set([
  'alias',
  'apt',
  'apt-get',
  'aws',
  'bash',
  'break',
  'brew',
  'bun',
  'bunx',
  'case',
  'cat',
  'cd',
  'chmod',
  'chown',
  'code',
  'command',
  'continue',
  'cp',
  'curl',
  'date',
  'deno',
  'df',
  'diff',
  'dig',
  'docker',
  'du',
  'echo',
  'env',
  'eval',
  'exec',
  'exit',
  'export',
  'false',
  'find',
  'fly',
  'for',
  'gcloud',
  'gh',
  'git',
  'grep',
  'head',
  'heroku',
  'host',
  'http',
  'if',
  'jq',
  'kill',
  'killall',
  'kubectl',
  'less',
  'ln',
  'ls',
  'make',
  'man',
  'mkdir',
  'mv',
  'nc',
  'netlify',
  'node',
  'nohup',
  'npm',
  'npx',
  'open',
  'openssl',
  'pg_dump',
  'pg_restore',
  'ping',
  'pkill',
  'pnpm',
  'printf',
  'ps',
  'psql',
  'python',
  'python3',
  'read',
  'return',
  'rm',
  'rsync',
  'scp',
  'sed',
  'set',
  'sh',
  'shift',
  'sleep',
  'sort',
  'source',
  'ssh',
  'sudo',
  'supabase',
  'tail',
  'tar',
  'tee',
  'test',
  'time',
  'top',
  'touch',
  'true',
  'unset',
  'until',
  'vercel',
  'watch',
  'wc',
  'wget',
  'which',
  'while',
  'xargs',
  'yarn',
  'zsh',
]);
// Small words that make a line read as a sentence rather than a command with arguments.
const FUNCTION_WORDS = new Set([
  'the',
  'a',
  'an',
  'to',
  'and',
  'or',
  'of',
  'for',
  'with',
  'if',
  'then',
  'on',
  'in',
  'is',
  'are',
  'be',
  'all',
  'any',
  'via',
  'from',
  'by',
  'as',
  'it',
  'this',
  'that',
  'before',
  'after',
]);
// Anything a shell would treat specially: a sentence has none of these.
const SHELL_SYNTAX = /[|&;<>$`\\={}[\]*~"#]|(?:^|\s)\.{0,2}\//;

/**
 * The command a numbered or bulleted step really is (`1. supabase db push`): it starts with a known program, written
 * as a program is (lower case), and does not read as a sentence ("test the backup" stays prose). Undefined for prose.
 */
export function commandInStep(text: string): string | undefined {
  const trimmed = text.trim();
  const words = trimmed.split(/\s+/);
  const first = words[0] ?? '';
  const looksLikeProgram = COMMAND_WORDS.has(first) || /^(\.{0,2}\/|~\/)\S/.test(first);
  if (!looksLikeProgram) return undefined;
  if (SHELL_SYNTAX.test(trimmed) || words.length === 1) return trimmed;
  const sentence = words.slice(1).some((w) => FUNCTION_WORDS.has(w.toLowerCase().replace(/[).,:!?]+$/, '')));
  return sentence ? undefined : trimmed;
}

/**
 * A line of plain English: words and ordinary punctuation only, no shell syntax, not starting with a known
 * command, and reading as a sentence (capitalised, or with small words such as "the" or "to").
 * Only trusted next to numbered steps, where the runbook is clearly writing instructions.
 */
export function looksLikePlainEnglish(line: string): boolean {
  const text = line.trim();
  if (text === '' || SHELL_SYNTAX.test(text)) return false;
  // An apostrophe is fine inside a word (don't), but a lone quote opens a shell string.
  if (/(^|[^\p{L}])'|'($|[^\p{L}])/u.test(text)) return false;
  const words = text.split(/\s+/);
  if (words.length < 2) return false;
  if (!words.every((w) => /^\(?[\p{L}\p{N}][\p{L}\p{N}'’-]*[).,:!?]*$/u.test(w))) return false;
  const first = words[0].replace(/^\(/, '');
  if (COMMAND_WORDS.has(first)) return false;
  const capitalised = /^\p{Lu}/u.test(first);
  const sentence = words.some((w) => FUNCTION_WORDS.has(w.toLowerCase().replace(/[).,:!?]+$/, '')));
  return capitalised || sentence;
}
