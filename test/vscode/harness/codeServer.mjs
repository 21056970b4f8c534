// Runs a compiled Mocha suite inside real VS Code: code-server's Node extension host, with the
// workbench shown in Debian's Chromium driven by playwright-core. Nothing exits when the suite ends,
// so the suite writes its results to a file (RUNBOOK_TEST_RESULTS) that this harness watches.
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, codeServerBin } from '../../../scripts/lib/provision.mjs';
import { freePort } from '../../../scripts/lib/ports.mjs';
import { startUiBridge } from './uiBridge.mjs';

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'workbench.tips.enabled': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  'window.commandCenter': false,
  'git.enabled': false,
};

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SERVER_READY_TIMEOUT_MS = 60_000;
const POLL_MS = 250;
const EXTENSION_HOST_EXIT_GRACE_MS = 5000;

/**
 * @param {{ suiteIndex: string, workspace: string, extensionPath: string, resultsDir: string,
 *           env?: Record<string, string>, timeoutMs?: number, label?: string }} options
 * @returns {Promise<{ passed: number, failed: number, skipped: number, failures: {title: string, error: string}[],
 *                     tests: {title: string, state: string, durationMs: number}[], logFile: string, elapsedMs: number }>}
 */
export async function runSuiteInCodeServer({
  suiteIndex,
  workspace,
  extensionPath,
  resultsDir,
  env = {},
  timeoutMs = 600_000,
  label = 'codeserver',
  workspaceTrust = false,
}) {
  mkdirSync(resultsDir, { recursive: true });
  const resultsFile = join(resultsDir, `${label}-results.json`);
  const logFile = join(resultsDir, `${label}-codeserver.log`);
  rmSync(resultsFile, { force: true }); // a stale file from an earlier run would read as this run's results

  const started = Date.now();
  const tmp = mkdtempSync(join(tmpdir(), 'runbook-code-server-'));
  const serverOutput = [];
  const browserConsole = [];
  let bridge;
  let server;
  let browser;
  let page;
  let results;
  // An interrupted run (Ctrl+C, process.exit) must not leave code-server or its temp dir behind.
  const cleanUpOnExit = () => {
    killGroup(server, 'SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
  };
  process.on('exit', cleanUpOnExit);

  try {
    bridge = await startUiBridge({ resultsDir });
    const port = await freePort();
    const userDataDir = join(tmp, 'ud');
    mkdirSync(join(userDataDir, 'User'), { recursive: true });
    writeFileSync(
      join(userDataDir, 'User', 'settings.json'),
      JSON.stringify(
        workspaceTrust
          ? {
              ...USER_SETTINGS,
              'security.workspace.trust.enabled': true,
              'security.workspace.trust.startupPrompt': 'never',
              'security.workspace.trust.untrustedFiles': 'open',
            }
          : USER_SETTINGS,
        null,
        2,
      ),
    );
    writeFileSync(join(tmp, 'config.yaml'), `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);

    const serverEnv = {
      ...process.env,
      ...env,
      RUNBOOK_TEST_RESULTS: resultsFile,
      RUNBOOK_TEST_DRIVER: bridge.url,
      RUNBOOK_TEST_SCREENSHOTS: resultsDir,
    };
    delete serverEnv.PORT; // code-server lets $PORT override --bind-addr
    for (const key of Object.keys(serverEnv)) {
      // Started from a VS Code terminal, these would point code-server at the outer editor.
      if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') delete serverEnv[key];
    }

    server = startCodeServer({
      port,
      tmp,
      userDataDir,
      workspace,
      env: serverEnv,
      output: serverOutput,
      workspaceTrust,
    });
    await waitForServer(port, server);

    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    page.on('console', (message) => {
      // The extension host's console (the suite's spec reporter, test logging) is forwarded here too,
      // styled as "%c INFO color: #33f …"; the style tokens are noise in a text log.
      const text = message.text().replace(/^%c\s+(\w+)\s+color:\s*#\w+\s*/, '$1 ');
      browserConsole.push(`[${message.type()}] ${text}`);
    });
    page.on('pageerror', (error) => browserConsole.push(`[pageerror] ${error.message}`));
    let crashed = false;
    page.on('crash', () => (crashed = true));
    bridge.attach(page);

    const remote = `vscode-remote://127.0.0.1:${port}`;
    const payload = [
      ['extensionDevelopmentPath', remote + extensionPath],
      ['extensionTestsPath', remote + suiteIndex],
    ];
    const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: SERVER_READY_TIMEOUT_MS });

    const deadline = started + timeoutMs;
    let extensionHostExitedAt;
    for (;;) {
      if (existsSync(resultsFile)) {
        results = JSON.parse(readFileSync(resultsFile, 'utf8'));
        break;
      }
      // The extension host also exits after a finished suite, so allow the results a moment to land. Only the
      // suite's own host counts (the first one launched): a second window a test opens, and reloads, has its own.
      const output = serverOutput.join('');
      const suiteHost = /<(\d+)> Launched Extension Host Process/.exec(output)?.[1];
      const extensionHostExit = new RegExp(
        `${suiteHost ? `<${suiteHost}> ` : ''}Extension Host Process exited with code: (\\S+?),? signal: (\\S+?)\\.`,
      ).exec(output);
      if (extensionHostExit) extensionHostExitedAt ??= Date.now();
      if (extensionHostExitedAt && Date.now() - extensionHostExitedAt > EXTENSION_HOST_EXIT_GRACE_MS) {
        throw new Error(
          `the extension host exited (code ${extensionHostExit[1]}, signal ${extensionHostExit[2]}) before the suite reported; see ${logFile}`,
        );
      }
      if (hasExited(server))
        throw new Error(
          `code-server exited (${server.exitCode ?? server.signalCode}) before the suite reported; see ${logFile}`,
        );
      if (crashed) throw new Error(`the browser page crashed before the suite reported; see ${logFile}`);
      if (Date.now() > deadline)
        throw new Error(`the suite did not report within ${Math.round(timeoutMs / 1000)} s; see ${logFile}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } catch (error) {
    results = harnessFailure(label, error, logFile);
  } finally {
    if (page)
      await page.screenshot({ path: join(resultsDir, `${label}-final.png`), fullPage: true }).catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await bridge?.close();
    await stopProcessGroup(server);
    process.off('exit', cleanUpOnExit);
    try {
      writeLog(logFile, {
        serverOutput,
        browserConsole,
        bridgeHistory: bridge?.history ?? [],
        userDataDir: join(tmp, 'ud'),
      });
    } catch (error) {
      console.error(`[code-server harness] could not write ${logFile}: ${error.message}`);
    }
    rmSync(tmp, { recursive: true, force: true });
  }
  return { ...normalize(results), logFile, elapsedMs: Date.now() - started };
}

function startCodeServer({ port, tmp, userDataDir, workspace, env, output, workspaceTrust }) {
  const args = [
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    // With workspaceTrust the folder opens in Restricted Mode (its tests check that nothing runs there).
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--config',
    join(tmp, 'config.yaml'), // without it code-server writes ~/.config/code-server
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    join(tmp, 'ext'),
    workspace,
  ];
  // Its own process group, so the extension host and pty host it starts die with it.
  const child = spawn(codeServerBin(), args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const record = (chunk) => output.push(chunk.toString());
  child.stdout.on('data', record);
  child.stderr.on('data', record);
  child.on('error', (error) => output.push(`[spawn error] ${error.message}\n`));
  return child;
}

function hasExited(child) {
  return child.exitCode !== null || child.signalCode !== null;
}

function killGroup(child, signal) {
  if (child?.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function waitForServer(port, child) {
  const deadline = Date.now() + SERVER_READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (hasExited(child)) throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) while starting`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`code-server did not answer on port ${port} within ${SERVER_READY_TIMEOUT_MS / 1000} s`);
}

async function stopProcessGroup(child) {
  if (child?.pid === undefined) return;
  if (!hasExited(child)) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    killGroup(child, 'SIGTERM');
    let timer;
    await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 3000)))]);
    clearTimeout(timer);
  }
  killGroup(child, 'SIGKILL'); // whatever of the group outlived the leader
}

function harnessFailure(label, error, logFile) {
  const message = String(error?.message ?? error);
  return {
    passed: 0,
    failed: 1,
    skipped: 0,
    failures: [
      { title: `${label}: harness`, error: message.includes(logFile) ? message : `${message} (log: ${logFile})` },
    ],
    tests: [{ title: `${label}: harness`, state: 'failed', durationMs: 0 }],
  };
}

function normalize(results) {
  return {
    passed: Number(results?.passed ?? 0),
    failed: Number(results?.failed ?? 0),
    skipped: Number(results?.skipped ?? 0),
    failures: Array.isArray(results?.failures) ? results.failures : [],
    tests: Array.isArray(results?.tests) ? results.tests : [],
  };
}

// One file with everything needed to see why a run failed: code-server's output, the browser's
// console, the UI driver's operations and VS Code's own logs (extension host included).
function writeLog(logFile, { serverOutput, browserConsole, bridgeHistory, userDataDir }) {
  const sections = [
    ['code-server output', serverOutput.join('')],
    ["browser console (with the extension host's console, so the suite's spec output)", browserConsole.join('\n')],
    ['UI driver operations', bridgeHistory.join('\n')],
  ];
  const logsDir = join(userDataDir, 'logs');
  for (const file of filesUnder(logsDir).filter((f) => f.endsWith('.log'))) {
    const text = readFileSync(file, 'utf8');
    if (text.trim())
      sections.push([
        `VS Code log ${relative(logsDir, file)}`,
        text.length > 200_000 ? `[…]${text.slice(-200_000)}` : text,
      ]);
  }
  writeFileSync(
    logFile,
    sections.map(([title, text]) => `===== ${title} =====\n${text.trimEnd() || '(none)'}\n`).join('\n'),
  );
}

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}
