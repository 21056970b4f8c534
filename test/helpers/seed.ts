// The team's real runbook lives outside the project (../shared/seed). CI has it; a user's clone may not.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && /"name":\s*"runbook-companion"/.test(readFileSync(manifest, 'utf8'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

export const PROJECT_ROOT = findProjectRoot(__dirname);
export const SEED_PATH = resolve(PROJECT_ROOT, '..', 'shared', 'seed', 'operations-runbook.md');
export const SAMPLE_PATH = join(PROJECT_ROOT, 'runbook', 'operations-runbook.md');

export function readSeed(): string | undefined {
  return existsSync(SEED_PATH) ? readFileSync(SEED_PATH, 'utf8') : undefined;
}

export const SEED_MISSING = `seed runbook not found at ${SEED_PATH} (it ships beside the project in CI only); skipped`;

export function readSample(): string {
  return readFileSync(SAMPLE_PATH, 'utf8');
}
