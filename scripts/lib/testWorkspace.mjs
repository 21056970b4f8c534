// The workspace every VS Code suite opens: a fresh copy of test/fixtures/workspace, with the Supabase
// CLI where a project would have it (node_modules/.bin/supabase), so suites may change it freely.
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot, supabaseBin } from './provision.mjs';

/**
 * Copies the fixture workspace into `target` (a new temporary folder when absent) and returns its path.
 * @param {{ target?: string, prefix?: string }} [options]
 */
export function prepareTestWorkspace({ target, prefix = 'runbook-workspace-' } = {}) {
  const workspace = target ?? mkdtempSync(join(tmpdir(), prefix));
  if (target) {
    rmSync(target, { recursive: true, force: true });
    mkdirSync(target, { recursive: true });
  }
  cpSync(join(projectRoot(), 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  mkdirSync(join(workspace, 'node_modules', '.bin'), { recursive: true });
  if (existsSync(supabaseBin())) symlinkSync(supabaseBin(), join(workspace, 'node_modules', '.bin', 'supabase'));
  return workspace;
}

// `node scripts/lib/testWorkspace.mjs DIR`: used by the "Extension Tests" launch configuration.
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const target = process.argv[2];
  if (!target) {
    console.error('usage: node scripts/lib/testWorkspace.mjs <target-folder>');
    process.exit(2);
  }
  console.log(`test workspace: ${prepareTestWorkspace({ target })}`);
}
