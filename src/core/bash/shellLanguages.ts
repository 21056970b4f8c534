// Which fences get a "Run in terminal" CodeLens, and which of them are transcripts (`$ ` prompts and output).

const SCRIPT_LANGUAGES = new Set(['bash', 'sh', 'shell', 'zsh']);
const TRANSCRIPT_LANGUAGES = new Set(['console', 'shell-session', 'shellsession']);

/** True for bash, sh, shell, zsh and console fences (and the shell-session spellings of console). */
export function isRunnableShellLanguage(language: string): boolean {
  const l = language.toLowerCase();
  return SCRIPT_LANGUAGES.has(l) || TRANSCRIPT_LANGUAGES.has(l);
}

/** Transcript fences show prompts and output: only prompted lines are commands. */
export function isConsoleLanguage(language: string): boolean {
  return TRANSCRIPT_LANGUAGES.has(language.toLowerCase());
}
