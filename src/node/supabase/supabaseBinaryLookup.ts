// The file-system side of choosing the Supabase CLI: the workspace's node_modules/.bin/supabase by absolute path,
// else the first executable `supabase` on a PATH, and `supabase --version` of a binary. No VS Code here, so that the
// unit tests can run it on real files and the real binary.
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { SupabaseEnvironment } from '../../core/supabase/supabaseInvocation';
import { parseCliVersion, type CliVersion } from '../../core/supabase/supabaseVersion';

const VERSION_TIMEOUT_MS = 15_000;

export interface ResolvedBinary {
  environment: SupabaseEnvironment;
  /** Absolute path of the binary that will run; undefined for npx. */
  path?: string;
}

/** The binary a terminal in `folder` with this PATH runs for a snippet's `supabase`. */
export function resolveSupabaseBinary(folder: string | undefined, pathVariable: string): ResolvedBinary {
  const workspaceBin = folder ? join(folder, 'node_modules', '.bin', 'supabase') : undefined;
  const onPath = findOnPath(pathVariable, process.platform === 'win32' ? 'supabase.exe' : 'supabase');
  if (workspaceBin && isExecutable(workspaceBin))
    return { environment: { workspaceBin, onPath: onPath !== undefined }, path: workspaceBin };
  if (onPath) return { environment: { onPath: true }, path: onPath };
  return { environment: { onPath: false } };
}

/**
 * PATH as a new integrated terminal gets it: `terminal.integrated.env.<platform>`'s PATH when set (with
 * `${env:PATH}` standing for the inherited one), else the inherited PATH.
 */
export function composeTerminalPath(configured: string | null | undefined, inherited: string): string {
  if (typeof configured !== 'string') return inherited;
  return configured.replace(/\$\{env:PATH\}/g, inherited);
}

export function findOnPath(pathVariable: string, name: string): string | undefined {
  for (const dir of pathVariable.split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** `<binary> --version`, parsed; undefined when it does not run or prints no version. */
export function readCliVersion(binary: string): Promise<CliVersion | undefined> {
  return new Promise((resolve) => {
    execFile(
      binary,
      ['--version'],
      { timeout: VERSION_TIMEOUT_MS, env: { ...process.env, SUPABASE_NO_KEYRING: '1' } },
      (_error, stdout) => resolve(parseCliVersion(String(stdout ?? ''))),
    );
  });
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
