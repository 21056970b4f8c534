// Asked when a command calls the Supabase Management API and no token can be found: neither in VS Code's secret
// storage nor a login of the CLI's own. The user enters a token (masked, kept in the secret storage), logs in with
// `supabase login` in a terminal, or, when the system keyring could not be checked, runs it anyway.
import * as vscode from 'vscode';
import type { SecretStore } from '../secrets/secretStore';
import type { CliLogin } from '../../node/supabase/cliLogin';
import { quoteShellWordIfNeeded } from '../../core/bash/shellQuote';

/** The token the Supabase CLI accepts (CLI 3, access_token.go): sbp_, optionally oauth_, then 40 hex digits. */
const ACCESS_TOKEN = /^sbp_(oauth_)?[a-f0-9]{40}$/;
export const TOKENS_PAGE = 'https://supabase.com/dashboard/account/tokens';

export type TokenAnswer = { token: string } | { cliLogin: true };

export interface TokenQuestion {
  /** The commands that need it, as the user reads them: "supabase projects list". */
  commands: readonly string[];
  login: CliLogin;
  /** The CLI binary, for `supabase login`; the folder it runs in. */
  binary?: string;
  cwd?: vscode.Uri;
}

/** Resolves with the token entered, or `cliLogin` to run on the CLI's own login; undefined when the run stops. */
export async function askForAccessToken(
  secrets: SecretStore,
  question: TokenQuestion,
): Promise<TokenAnswer | undefined> {
  // Short labels: a notification's buttons share its width.
  const enter = 'Enter Token…';
  const login = 'supabase login';
  const anyway = 'Run Anyway';
  const what = question.commands.length === 1 ? `"${question.commands[0]}"` : `${question.commands.length} commands`;
  const keyring = question.login.keyringChecked ? '' : " This machine's keyring could not be checked.";
  const choice = await vscode.window.showWarningMessage(
    `${what} ${question.commands.length === 1 ? 'calls' : 'call'} the Supabase Management API, and no access token was found: none in VS Code's secret storage, no SUPABASE_ACCESS_TOKEN, no \`supabase login\`.${keyring} Nothing was run.`,
    enter,
    ...(question.binary ? [login] : []),
    ...(question.login.keyringChecked ? [] : [anyway]),
  );
  if (choice === anyway) return { cliLogin: true };
  if (choice === login && question.binary) {
    const terminal = vscode.window.createTerminal({
      name: 'supabase login — Runbook',
      ...(question.cwd ? { cwd: question.cwd } : {}),
    });
    terminal.show();
    terminal.sendText(`${quoteShellWordIfNeeded(question.binary)} login`, true);
    void vscode.window.showInformationMessage(
      '`supabase login` opens the browser to create a token and keeps it for the CLI. When it has finished, run the command again.',
    );
    return undefined;
  }
  if (choice !== enter) return undefined;
  const token = await vscode.window.showInputBox({
    title: 'Supabase personal access token',
    prompt: `Create one at ${TOKENS_PAGE}. Kept in VS Code's secret storage, never in settings, logs or command lines.`,
    placeHolder: 'sbp_…',
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) =>
      ACCESS_TOKEN.test(value.trim())
        ? undefined
        : 'A Supabase access token is "sbp_" followed by 40 hexadecimal characters.',
  });
  if (token === undefined) return undefined;
  await secrets.store(undefined, 'accessToken', token.trim());
  return { token: token.trim() };
}
