import type { SnippetCategory } from './types';

const SQL = new Set(['sql', 'pgsql', 'postgres', 'postgresql', 'plpgsql', 'psql']);
const SHELL = new Set(['bash', 'sh', 'shell', 'zsh', 'cmd', 'console', 'shell-session', 'shellsession']);
// Queries for monitoring systems: shown and copied, never sent to a terminal or a database.
const QUERY = new Set(['promql', 'metricsql', 'logql', 'traceql']);
const DATA = new Set(['json', 'jsonc', 'json5', 'yaml', 'yml', 'toml', 'ini', 'csv', 'xml']);
// Requests written for REST clients and curl-like tools: runnable by hand, so their `<name>`s are values to fill in.
const HTTP = new Set(['http', 'https', 'rest', 'restclient', 'curl', 'httpie']);

export function languageOf(info: string): string {
  const first = info.trim().split(/[\s{]/, 1)[0] ?? '';
  return first.toLowerCase();
}

export function categoryOf(language: string): SnippetCategory {
  if (SQL.has(language)) return 'sql';
  if (SHELL.has(language)) return 'shell';
  if (QUERY.has(language)) return 'query';
  if (language === 'mermaid') return 'mermaid';
  if (DATA.has(language)) return 'data';
  if (language === '' || language === 'text' || language === 'txt' || language === 'plaintext') return 'text';
  return 'code';
}

export function isSqlLanguage(language: string): boolean {
  return SQL.has(language);
}

export function isShellLanguage(language: string): boolean {
  return SHELL.has(language);
}

/** Fences written as a terminal session: every command line carries a prompt. */
export function isSessionLanguage(language: string): boolean {
  return language === 'console' || language === 'shell-session' || language === 'shellsession';
}

/**
 * Whether `<name>` in a block of this language is a value the reader fills in. Only runnable blocks have
 * placeholders: in TypeScript `Promise<Response>` is a generic and in HTML `<div>` is a tag.
 */
export function takesPlaceholders(language: string): boolean {
  return SQL.has(language) || SHELL.has(language) || HTTP.has(language);
}
