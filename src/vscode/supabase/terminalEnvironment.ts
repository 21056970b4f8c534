// The environment a new integrated terminal (and so the Supabase CLI in it) gets: the extension host's, changed by
// terminal.integrated.env.<platform>, where a string replaces a variable (`${env:NAME}` standing for the inherited
// value) and null removes it. Where the binary is found (PATH) and where the CLI's login is (HOME,
// SUPABASE_ACCESS_TOKEN) are read from it.
import * as vscode from 'vscode';
import { composeTerminalPath } from '../../node/supabase/supabaseBinaryLookup';

export function terminalEnvironment(): Record<string, string | undefined> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform === 'darwin' ? 'osx' : 'linux';
  const overrides =
    vscode.workspace.getConfiguration('terminal.integrated.env').get<Record<string, string | null>>(platform) ?? {};
  const env: Record<string, string | undefined> = { ...process.env };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === null) delete env[name];
    else if (typeof value === 'string')
      env[name] = value.replace(/\$\{env:([^}]+)\}/g, (_, inherited: string) => process.env[inherited] ?? '');
  }
  // PATH keeps the rule the binary lookup always had (a null setting leaves the inherited PATH).
  env.PATH = composeTerminalPath(overrides.PATH, process.env.PATH ?? '');
  return env;
}
