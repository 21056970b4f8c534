import type { SnippetCategory } from './types';

const SQL = new Set(['sql', 'pgsql', 'postgres', 'postgresql', 'plpgsql', 'psql']);
const SHELL = new Set(['bash', 'sh', 'shell', 'zsh', 'console', 'shell-session', 'shellsession']);
const DATA = new Set(['json', 'jsonc', 'json5', 'yaml', 'yml', 'toml', 'ini', 'csv', 'xml']);

export function languageOf(info: string): string {
  const first = info.trim().split(/[\s{]/, 1)[0] ?? '';
  return first.toLowerCase();
}

export function categoryOf(language: string): SnippetCategory {
  if (SQL.has(language)) return 'sql';
  if (SHELL.has(language)) return 'shell';
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
