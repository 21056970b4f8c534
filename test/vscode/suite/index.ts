// Entry point VS Code loads as extensionTestsPath. Runs every compiled *.test.js beside it with
// Mocha inside the extension host and writes a results file, because neither code-server nor the
// harness learns anything from run()'s promise. It never throws: a crash becomes a failure entry.
import Mocha from 'mocha';
import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

interface TestOutcome {
  title: string;
  state: 'passed' | 'failed' | 'skipped';
  durationMs: number;
}

interface SuiteResults {
  passed: number;
  failed: number;
  skipped: number;
  failures: { title: string; error: string }[];
  tests: TestOutcome[];
}

export async function run(): Promise<void> {
  const results: SuiteResults = { passed: 0, failed: 0, skipped: 0, failures: [], tests: [] };
  try {
    await runMocha(results);
  } catch (error) {
    results.failed++;
    results.failures.push({ title: 'suite crashed', error: describeError(error) });
    results.tests.push({ title: 'suite crashed', state: 'failed', durationMs: 0 });
  }
  writeResults(results);
}

function runMocha(results: SuiteResults): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  // RUNBOOK_TEST_GREP (npm test -- --grep <pattern>) narrows a run while working on one thing: to the files whose
  // name matches, else to the tests whose title does. Files starting with `_` hold root hooks and always load.
  const pattern = process.env.RUNBOOK_TEST_GREP;
  const files = testFilesUnder(__dirname);
  const matchingFiles = pattern ? files.filter((f) => new RegExp(pattern, 'i').test(relative(__dirname, f))) : [];
  if (pattern && matchingFiles.length === 0) mocha.grep(new RegExp(pattern, 'i'));
  const chosen = matchingFiles.length
    ? files.filter((f) => matchingFiles.includes(f) || relative(__dirname, f).startsWith('_'))
    : files;
  for (const file of chosen) mocha.addFile(file);

  return new Promise((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', (test) => {
      results.passed++;
      results.tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration ?? 0 });
    });
    runner.on('pending', (test) => {
      results.skipped++;
      results.tests.push({ title: test.fullTitle(), state: 'skipped', durationMs: 0 });
    });
    // Also fires for failing hooks (before/after each), which count as failures of their own.
    runner.on('fail', (test, error) => {
      results.failed++;
      results.failures.push({ title: test.fullTitle(), error: describeError(error) });
      results.tests.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration ?? 0 });
    });
  });
}

function testFilesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) return testFilesUnder(full);
      return name.endsWith('.test.js') ? [full] : [];
    });
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

// Tmp file + rename: the harness polls for the file and must never read half of it.
function writeResults(results: SuiteResults): void {
  const target = process.env.RUNBOOK_TEST_RESULTS;
  const text = JSON.stringify(results, null, 2);
  if (!target) {
    console.log(`[runbook tests] RUNBOOK_TEST_RESULTS is not set; results:\n${text}`);
    return;
  }
  try {
    mkdirSync(dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.tmp`;
    writeFileSync(temporary, text);
    renameSync(temporary, target);
  } catch (error) {
    console.error(`[runbook tests] could not write ${target}: ${describeError(error)}`);
  }
}
