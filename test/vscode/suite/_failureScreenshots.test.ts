// Root hook: a failing UI test leaves a screenshot of what the user would have seen.
import { driver } from '../driver';

afterEach(async function () {
  const test = this.currentTest;
  if (!test || test.state !== 'failed' || !driver.available) return;
  try {
    await driver.screenshot(`failed-${test.fullTitle().replace(/[^\w]+/g, '-').slice(0, 80)}`);
  } catch {
    // A screenshot is a help for reading the failure, never a failure of its own.
  }
});
