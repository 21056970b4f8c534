// Root hooks: a failing UI test leaves a screenshot of what the user would have seen, and no test's
// notifications linger into the next test's screenshots.
import * as vscode from 'vscode';
import { driver } from '../driver';

afterEach(async function () {
  const test = this.currentTest;
  if (test?.state === 'failed' && driver.available) {
    try {
      await driver.screenshot(
        `failed-${test
          .fullTitle()
          .replace(/[^\w]+/g, '-')
          .slice(0, 80)}`,
      );
    } catch {
      // A screenshot is a help for reading the failure, never a failure of its own.
    }
  }
  await vscode.commands.executeCommand('notifications.clearAll');
});
