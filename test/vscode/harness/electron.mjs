// Runs the same compiled suite in desktop VS Code through @vscode/test-electron, but only when
// VSCODE_EXECUTABLE_PATH names an installed desktop VS Code: test runs never download anything.
// There is no UI bridge here (RUNBOOK_TEST_DRIVER stays unset), so DOM tests skip themselves.
import { spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  chmodSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'git.enabled': false,
};

/**
 * @param {{ suiteIndex: string, workspace: string, extensionPath: string, env?: Record<string, string>,
 *           resultsDir?: string, label?: string }} options
 * @returns {Promise<{ skipped: true, reason: string } | { skipped?: false, passed: number, failed: number, skipped: number,
 *           failures: {title: string, error: string}[], tests: {title: string, state: string, durationMs: number}[] }>}
 */
export async function runSuiteInElectron({
  suiteIndex,
  workspace,
  extensionPath,
  env = {},
  resultsDir = join(extensionPath, 'test-results'),
  label = 'electron',
}) {
  const executable = process.env.VSCODE_EXECUTABLE_PATH;
  if (!executable)
    return {
      skipped: true,
      reason: 'VSCODE_EXECUTABLE_PATH is not set (desktop VS Code is never downloaded at test time)',
    };
  if (!isExecutable(executable))
    return { skipped: true, reason: `VSCODE_EXECUTABLE_PATH=${executable} is not an executable file` };

  const needsVirtualDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
  if (needsVirtualDisplay && !commandExists('xvfb-run')) {
    return {
      skipped: true,
      reason: 'no display (DISPLAY unset) and no xvfb-run; install it with: apt-get install -y xvfb',
    };
  }

  mkdirSync(resultsDir, { recursive: true });
  const resultsFile = join(resultsDir, `${label}-results.json`);
  rmSync(resultsFile, { force: true });
  const tmp = mkdtempSync(join(tmpdir(), 'runbook-electron-'));
  try {
    const userDataDir = join(tmp, 'ud');
    mkdirSync(join(userDataDir, 'User'), { recursive: true });
    writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
    let exitCode;
    try {
      exitCode = await runTests({
        vscodeExecutablePath: needsVirtualDisplay ? xvfbWrapper(tmp, executable) : executable,
        extensionDevelopmentPath: extensionPath,
        extensionTestsPath: suiteIndex,
        // Explicit profile dirs keep test-electron from writing .vscode-test/ into the repository.
        launchArgs: [
          workspace,
          `--user-data-dir=${userDataDir}`,
          `--extensions-dir=${join(tmp, 'ext')}`,
          '--disable-extensions',
        ],
        extensionTestsEnv: {
          ...env,
          RUNBOOK_TEST_RESULTS: resultsFile,
          RUNBOOK_TEST_SCREENSHOTS: resultsDir,
          RUNBOOK_TEST_DRIVER: undefined,
        },
      });
    } catch (error) {
      exitCode = error?.code ?? error?.message ?? String(error);
    }
    if (existsSync(resultsFile)) return JSON.parse(readFileSync(resultsFile, 'utf8'));
    return {
      passed: 0,
      failed: 1,
      skipped: 0,
      failures: [
        { title: `${label}: harness`, error: `desktop VS Code exited (${exitCode}) without writing ${resultsFile}` },
      ],
      tests: [{ title: `${label}: harness`, state: 'failed', durationMs: 0 }],
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function commandExists(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

// test-electron spawns the executable itself, so xvfb-run goes in front through a tiny wrapper.
function xvfbWrapper(dir, executable) {
  const wrapper = join(dir, 'code-under-xvfb');
  writeFileSync(wrapper, `#!/bin/sh\nexec xvfb-run -a -s "-screen 0 1440x900x24" ${JSON.stringify(executable)} "$@"\n`);
  chmodSync(wrapper, 0o755);
  return wrapper;
}
