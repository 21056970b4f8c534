// Whether the Supabase CLI has a login of its own, so that a Management API command works without a token from this
// extension. CLI 3 (apps/cli-go/internal/utils/access_token.go) takes the first of: SUPABASE_ACCESS_TOKEN in its
// environment; the system keyring (service "Supabase CLI", account = the profile name, "supabase" by default, or the
// legacy "access-token"); the file ~/.supabase/access-token, which `supabase login` writes where no keyring works.
// The keyring is asked only whether an entry exists: the token itself never reaches this process.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findOnPath } from './supabaseBinaryLookup';

const KEYRING_SERVICE = 'Supabase CLI';
const KEYRING_ACCOUNTS = ['supabase', 'access-token'];
const PROBE_TIMEOUT_MS = 3000;

export type CliLoginSource = 'environment' | 'keyring' | 'token file';

export interface CliLogin {
  /** Where the CLI will find a token; undefined when it will find none that could be seen. */
  source?: CliLoginSource;
  /** False when the system keyring could not be asked (no tool for it here): a login may hide there. */
  keyringChecked: boolean;
}

export interface CliLoginOptions {
  platform?: NodeJS.Platform;
  /** Whether a keyring entry exists; the default asks the platform's tool. */
  keyringHas?: (service: string, account: string) => Promise<boolean | undefined>;
}

/** The CLI's own login as a process with this environment would find it. */
export async function findCliLogin(
  env: Readonly<Record<string, string | undefined>>,
  options: CliLoginOptions = {},
): Promise<CliLogin> {
  if (env.SUPABASE_ACCESS_TOKEN) return { source: 'environment', keyringChecked: false };
  const platform = options.platform ?? process.platform;
  const keyringHas = options.keyringHas ?? ((service, account) => systemKeyringHas(service, account, env, platform));
  let keyringChecked = false;
  for (const account of KEYRING_ACCOUNTS) {
    const found = await keyringHas(KEYRING_SERVICE, account);
    if (found === undefined) break;
    keyringChecked = true;
    if (found) return { source: 'keyring', keyringChecked };
  }
  const home = env.HOME ?? env.USERPROFILE;
  if (home && tokenFileHasToken(join(home, '.supabase', 'access-token')))
    return { source: 'token file', keyringChecked };
  return { keyringChecked };
}

function tokenFileHasToken(path: string): boolean {
  try {
    return readFileSync(path, 'utf8').trim().length > 0;
  } catch {
    return false;
  }
}

/**
 * Asks the keyring the CLI uses whether it holds an entry, by exit code only (the value, if a tool prints it, goes
 * nowhere). undefined when it cannot be asked here: no tool, WSL (where the CLI does not use it), Windows.
 */
function systemKeyringHas(
  service: string,
  account: string,
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform,
): Promise<boolean | undefined> {
  if (platform === 'darwin')
    return exitsZero('/usr/bin/security', ['find-generic-password', '-s', service, '-a', account]);
  if (platform === 'linux' && !env.WSL_DISTRO_NAME) {
    const tool = findOnPath(env.PATH ?? '', 'secret-tool');
    if (!tool || !env.DBUS_SESSION_BUS_ADDRESS) return Promise.resolve(undefined);
    return exitsZero(tool, ['lookup', 'service', service, 'username', account]);
  }
  return Promise.resolve(undefined);
}

function exitsZero(program: string, args: string[]): Promise<boolean | undefined> {
  return new Promise((resolve) => {
    // Nothing it prints is read (secret-tool prints the secret it finds): its output goes nowhere.
    const child = spawn(program, args, { stdio: 'ignore', timeout: PROBE_TIMEOUT_MS });
    child.on('error', () => resolve(undefined));
    child.on('exit', (code) => resolve(code === null ? undefined : code === 0));
  });
}
