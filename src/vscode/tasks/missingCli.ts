// What happens when a Supabase command finds no Supabase CLI, neither in the workspace (node_modules/.bin/supabase)
// nor on the terminal's PATH: nothing is sent (a fallback to `npx supabase` fails in a terminal with npm's "canceled
// due to missing packages", which said nothing useful), the user is told, and offered the fix: add the `supabase`
// package to the workspace as a dev dependency, with npm run as a task after a confirmation, or the install
// instructions for other ways.
import * as vscode from 'vscode';
import type { RiskGate } from '../safety/confirmRisk';
import type { SupabaseBinaries } from '../supabase/supabaseBinaries';
import type { CliTaskRunner } from './cliTaskRunner';
import { findOnPath } from '../../node/supabase/supabaseBinaryLookup';
import { terminalEnvironment } from '../supabase/terminalEnvironment';

export const CLI_INSTALL_GUIDE = 'https://supabase.com/docs/guides/local-development/cli/getting-started';
const INSTALL_ARGS = ['install', '--save-dev', 'supabase'];

export class MissingCli {
  constructor(
    private readonly gate: RiskGate,
    private readonly tasks: CliTaskRunner,
    private readonly binaries: SupabaseBinaries,
  ) {}

  /**
   * Says that `what` needs the CLI and offers the fix. `retry` runs the command again once the CLI is added.
   * Resolves when the user has chosen (the install, if chosen, included).
   */
  async explain(what: string, folder: vscode.WorkspaceFolder | undefined, retry?: () => unknown): Promise<void> {
    const add = 'Add to Workspace…';
    const guide = 'Install Instructions';
    const choice = await vscode.window.showErrorMessage(
      `"${what}" needs the Supabase CLI, which is not installed in this workspace (node_modules/.bin/supabase) or on PATH. Nothing was run.`,
      ...(folder ? [add] : []),
      guide,
    );
    if (choice === guide) await vscode.env.openExternal(vscode.Uri.parse(CLI_INSTALL_GUIDE));
    if (choice === add && folder) await this.install(folder, retry);
  }

  /** `npm install --save-dev supabase` in the folder, as a task, after the user agreed. */
  async install(folder: vscode.WorkspaceFolder, retry?: () => unknown): Promise<void> {
    const command = `npm ${INSTALL_ARGS.join(' ')}`;
    const npm = findOnPath(terminalEnvironment().PATH ?? '', process.platform === 'win32' ? 'npm.cmd' : 'npm');
    if (!npm) {
      const guide = 'Install Instructions';
      if (
        (await vscode.window.showErrorMessage(
          `npm is not on PATH, so the Supabase CLI cannot be added to ${folder.name} with ${command}. Install Node.js, or the CLI another way.`,
          guide,
        )) === guide
      )
        await vscode.env.openExternal(vscode.Uri.parse(CLI_INSTALL_GUIDE));
      return;
    }
    const packageJson = await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder.uri, 'package.json')).then(
      () => true,
      () => false,
    );
    const agreed = await this.gate.ask(
      `Add the Supabase CLI to ${folder.name}?`,
      [
        `Runs ${command} in ${folder.uri.fsPath}, as a task you can watch and cancel.`,
        packageJson
          ? 'It adds supabase to the devDependencies of its package.json and installs it in node_modules.'
          : 'There is no package.json there yet: npm creates one.',
        'npm also installs the CLI binary for this platform (an optional dependency of the package).',
      ],
      'Install',
    );
    if (!agreed) return;
    const outcome = await this.tasks.run({
      tool: 'npm',
      program: npm,
      args: INSTALL_ARGS,
      title: command,
      target: { name: folder.name, kind: 'local', production: false },
      scope: folder,
      cwd: folder.uri.fsPath,
    });
    this.binaries.forget();
    if (outcome.cancelled) {
      void vscode.window.showInformationMessage(`${command} was cancelled.`);
      return;
    }
    if (outcome.exitCode !== 0) {
      void vscode.window.showErrorMessage(
        `${command} exited with ${outcome.exitCode ?? 'an unknown code'}: its output is in the terminal panel.`,
      );
      return;
    }
    const again = 'Run Again';
    const next = await vscode.window.showInformationMessage(
      `The Supabase CLI is now in ${folder.name} (node_modules/.bin/supabase).`,
      ...(retry ? [again] : []),
    );
    if (next === again) await retry?.();
  }
}
