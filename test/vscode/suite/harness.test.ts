// Smoke test of the harness itself: the suite runs in a real VS Code extension host, and the UI
// driver sees the workbench that a user would see.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { driver } from '../driver';

describe('test harness', () => {
  it('runs inside a real VS Code 1.x extension host', () => {
    assert.match(vscode.version, /^1\./);
  });

  it('sees the workbench DOM through the UI driver', async function () {
    if (!driver.available) this.skip();
    await driver.waitFor('.monaco-workbench', { timeoutMs: 30_000 });
    const workbenches = await driver.query('.monaco-workbench');
    assert.ok(
      workbenches.filter((element) => element.visible).length >= 1,
      `no visible .monaco-workbench: ${JSON.stringify(workbenches)}`,
    );
    await driver.screenshot('harness-workbench');
  });
});
