// Finds the Supabase CLI binary a snippet will run and its version: the workspace's node_modules/.bin/supabase by
// absolute path, else the first `supabase` on the PATH the terminal will have (terminal.integrated.env.* included),
// else npx. The version is read once per binary path with `supabase --version` and cached, so the targeting knows
// whether to write CLI 3's --remote=<ref> or CLI 2's --project-ref.
import * as vscode from 'vscode';
import { ASSUMED_CLI_MAJOR_VERSION, type CliVersion } from '../../core/supabase/supabaseVersion';
import { readCliVersion, resolveSupabaseBinary, type ResolvedBinary } from '../../node/supabase/supabaseBinaryLookup';
import { Disposable } from '../../core/lifecycle/disposable';
import { terminalEnvironment } from './terminalEnvironment';

export type { ResolvedBinary };

const RESOLVE_CACHE_MS = 1000;

export interface DetectedVersion {
  major: number;
  /** The version text, or why it is assumed. */
  description: string;
}

export class SupabaseBinaries extends Disposable {
  private readonly versions = new Map<string, Promise<CliVersion | undefined>>();
  private readonly settled = new Map<string, CliVersion | undefined>();
  private readonly resolved = new Map<string, { binary: ResolvedBinary; at: number }>();
  private readonly detected = this._register(new vscode.EventEmitter<void>());
  /** Fires when a version read differs from the assumed one, so that lenses can show targets for the real CLI. */
  readonly onDidDetectVersion = this.detected.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    super();
    // A new PATH for terminals may find another binary, or none: look again at once.
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('terminal.integrated.env')) this.forget();
      }),
    );
  }

  /** Looks on disk again next time (a CLI was just installed or removed). */
  forget(): void {
    this.resolved.clear();
  }

  resolve(folder: string | undefined): ResolvedBinary {
    // Lenses ask for every shell block of a runbook at once: look on disk at most once a second per folder.
    const key = folder ?? '';
    const cached = this.resolved.get(key);
    if (cached && Date.now() - cached.at < RESOLVE_CACHE_MS) return cached.binary;
    const binary = resolveSupabaseBinary(folder, terminalEnvironment().PATH ?? '');
    this.resolved.set(key, { binary, at: Date.now() });
    return binary;
  }

  /** The version as far as known now (for lenses); starts reading it when unknown. */
  knownVersion(binary: ResolvedBinary): DetectedVersion {
    if (!binary.path)
      return { major: ASSUMED_CLI_MAJOR_VERSION, description: `npx supabase (assumed ${ASSUMED_CLI_MAJOR_VERSION}.x)` };
    if (!this.settled.has(binary.path)) {
      void this.version(binary);
      return { major: ASSUMED_CLI_MAJOR_VERSION, description: `not read yet (assumed ${ASSUMED_CLI_MAJOR_VERSION}.x)` };
    }
    return describe(this.settled.get(binary.path));
  }

  /** The version of the binary that will run, read once per path. */
  async version(binary: ResolvedBinary): Promise<DetectedVersion> {
    if (!binary.path) return this.knownVersion(binary);
    const path = binary.path;
    let pending = this.versions.get(path);
    if (!pending) {
      pending = readCliVersion(path).then((version) => {
        this.settled.set(path, version);
        this.log.info(`Supabase CLI ${path}: ${version ? version.text : 'version unreadable'}`);
        // Lenses were drawn for the assumed version; redraw them (which loses a click in flight) only if it differs.
        if ((version?.major ?? ASSUMED_CLI_MAJOR_VERSION) !== ASSUMED_CLI_MAJOR_VERSION) this.detected.fire();
        return version;
      });
      this.versions.set(path, pending);
    }
    return describe(await pending);
  }
}

function describe(version: CliVersion | undefined): DetectedVersion {
  return version
    ? { major: version.major, description: version.text }
    : { major: ASSUMED_CLI_MAJOR_VERSION, description: `unreadable (assumed ${ASSUMED_CLI_MAJOR_VERSION}.x)` };
}
