// supabase/config.toml, parsed with a real TOML parser (smol-toml), and what the extension and deploy need of it:
// the local stack's ports, the remote environments (`[remotes.<name>]`, one Supabase project each) and the Edge
// Functions' settings (`[functions.<slug>]`). The rules follow the Supabase CLI's own loader (apps/cli-go/pkg/config):
// a remote's project_id is a project ref, no two remotes share one, a function's slug starts with a letter, and a
// function is enabled and verifies JWTs unless it says otherwise. A malformed file or a bad value is a problem with
// its line (and column, where the parser knows it); whatever else the file says is still read.
import { parse, TomlError } from 'smol-toml';

export interface SupabaseFunctionConfig {
  /** The function's slug: the name of its [functions.<slug>] section. */
  slug: string;
  /** false leaves the function out of `supabase functions deploy`; the CLI's default is true. */
  enabled: boolean;
  /** Whether callers need a valid JWT; the CLI's default is true. */
  verifyJwt: boolean;
  /** As written, relative to supabase/. Left out: the CLI looks for deno.json or deno.jsonc beside the entrypoint. */
  importMap?: string;
  /** As written, relative to supabase/. Left out: functions/<slug>/index.ts. */
  entrypoint?: string;
  /** Globs of files deployed with the function, relative to supabase/. */
  staticFiles?: string[];
}

/** Another environment of the project: `[remotes.<name>]` with its own project ref. */
export interface SupabaseRemote {
  name: string;
  projectId: string;
}

export interface SupabaseConfig {
  /** The local project's id (not a ref: any name the CLI sanitised). */
  projectId?: string;
  api: { enabled?: boolean; port?: number; tls?: boolean };
  db: { port?: number; majorVersion?: number };
  remotes: SupabaseRemote[];
  functions: SupabaseFunctionConfig[];
}

export interface SupabaseConfigProblem {
  /** One sentence, without the file's name: the caller knows where the file is. */
  message: string;
  /** 1-based, where known. */
  line?: number;
  /** 1-based, where known. */
  column?: number;
}

export interface ReadSupabaseConfig {
  config: SupabaseConfig;
  problems: SupabaseConfigProblem[];
}

/** The Supabase CLI's pattern for a remote's project_id (pkg/config refPattern). */
export const REMOTE_PROJECT_REF = /^[a-z]{20}$/;
/** The Supabase CLI's pattern for a function slug (pkg/config funcSlugPattern). */
export const FUNCTION_SLUG = /^[A-Za-z][A-Za-z0-9_-]*$/;

type Table = Record<string, unknown>;

export function emptySupabaseConfig(): SupabaseConfig {
  return { api: {}, db: {}, remotes: [], functions: [] };
}

export function readSupabaseConfig(text: string): ReadSupabaseConfig {
  let document: Table;
  try {
    document = parse(text) as Table;
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    // smol-toml's message ends with a code frame; the first line says what is wrong.
    const reason = error.message
      .split('\n')[0]
      .replace(/^Invalid TOML document:\s*/, '')
      .trim();
    return {
      config: emptySupabaseConfig(),
      problems: [{ message: `not valid TOML: ${reason}`, line: error.line, column: error.column }],
    };
  }
  return new ConfigReader(text, document).read();
}

/** "line 7, column 4: …", or the message alone when the line is unknown. */
export function describeConfigProblem(problem: SupabaseConfigProblem): string {
  if (problem.line === undefined) return problem.message;
  return `line ${problem.line}${problem.column !== undefined ? `, column ${problem.column}` : ''}: ${problem.message}`;
}

class ConfigReader {
  private readonly problems: SupabaseConfigProblem[] = [];
  private readonly lines: string[];

  constructor(
    text: string,
    private readonly document: Table,
  ) {
    this.lines = text.split(/\r\n|\r|\n/);
  }

  read(): ReadSupabaseConfig {
    const config = emptySupabaseConfig();
    const projectId = this.value([], 'project_id', 'a string', isString);
    if (projectId !== undefined) config.projectId = projectId;

    const api = this.table([], 'api');
    const apiEnabled = api && this.value(['api'], 'enabled', 'true or false', isBoolean);
    if (apiEnabled !== undefined) config.api.enabled = apiEnabled;
    const apiPort = api && this.value(['api'], 'port', 'a port number from 1 to 65535', isPort);
    if (apiPort !== undefined) config.api.port = apiPort;
    const tls = api && this.table(['api'], 'tls');
    const tlsEnabled = tls && this.value(['api', 'tls'], 'enabled', 'true or false', isBoolean);
    if (tlsEnabled !== undefined) config.api.tls = tlsEnabled;

    const db = this.table([], 'db');
    const dbPort = db && this.value(['db'], 'port', 'a port number from 1 to 65535', isPort);
    if (dbPort !== undefined) config.db.port = dbPort;
    const major = db && this.value(['db'], 'major_version', 'a whole number such as 15 or 17', isWholeNumber);
    if (major !== undefined) config.db.majorVersion = major;

    config.remotes = this.remotes();
    config.functions = this.functions();
    return { config, problems: this.problems };
  }

  private remotes(): SupabaseRemote[] {
    const remotes: SupabaseRemote[] = [];
    const byRef = new Map<string, string>();
    for (const name of Object.keys(this.table([], 'remotes') ?? {})) {
      if (!this.table(['remotes'], name)) continue;
      const projectId = this.value(['remotes', name], 'project_id', 'a project ref', isString);
      if (projectId === undefined) {
        if (!this.has(['remotes', name], 'project_id'))
          this.problem(`[remotes.${name}] has no project_id; it is not listed`, ['remotes', name]);
        continue;
      }
      if (!REMOTE_PROJECT_REF.test(projectId)) {
        this.problem(
          `[remotes.${name}] project_id "${projectId}" is not a project ref (20 lowercase letters, such as abcdefghijklmnopqrst); it is not listed`,
          ['remotes', name],
          'project_id',
        );
        continue;
      }
      const other = byRef.get(projectId);
      if (other) {
        this.problem(
          `[remotes.${name}] has the project_id of [remotes.${other}]; only [remotes.${other}] is listed`,
          ['remotes', name],
          'project_id',
        );
        continue;
      }
      byRef.set(projectId, name);
      remotes.push({ name, projectId });
    }
    return remotes;
  }

  private functions(): SupabaseFunctionConfig[] {
    const functions: SupabaseFunctionConfig[] = [];
    for (const slug of Object.keys(this.table([], 'functions') ?? {})) {
      if (!this.table(['functions'], slug)) continue;
      const at = ['functions', slug];
      if (!FUNCTION_SLUG.test(slug)) {
        this.problem(
          `[functions.${slug}]: a function name starts with a letter and has only letters, digits, _ and -; it is skipped`,
          at,
        );
        continue;
      }
      const fn: SupabaseFunctionConfig = {
        slug,
        enabled: this.value(at, 'enabled', 'true or false', isBoolean) ?? true,
        verifyJwt: this.value(at, 'verify_jwt', 'true or false', isBoolean) ?? true,
      };
      const importMap = this.value(at, 'import_map', 'a path', isNonEmptyString);
      if (importMap !== undefined) fn.importMap = importMap;
      const entrypoint = this.value(at, 'entrypoint', 'a path', isNonEmptyString);
      if (entrypoint !== undefined) fn.entrypoint = entrypoint;
      const staticFiles = this.value(at, 'static_files', 'a list of globs', isStringList);
      if (staticFiles !== undefined) fn.staticFiles = staticFiles;
      functions.push(fn);
    }
    return functions;
  }

  private lookup(path: readonly string[]): unknown {
    let node: unknown = this.document;
    for (const key of path) node = isTable(node) ? node[key] : undefined;
    return node;
  }

  private has(path: readonly string[], key: string): boolean {
    const table = this.lookup(path);
    return isTable(table) && table[key] !== undefined;
  }

  /** The table at path.key; a value of another kind there is a problem. */
  private table(path: readonly string[], key: string): Table | undefined {
    const value = this.lookup([...path, key]);
    if (value === undefined || isTable(value)) return value;
    this.problem(
      `${where(path, key)} should be a table ([${[...path, key].join('.')}]), not ${kindOf(value)}`,
      path,
      key,
    );
    return undefined;
  }

  /** The value at path.key when it passes `check`; otherwise a problem naming what it should be, and undefined. */
  private value<T>(
    path: readonly string[],
    key: string,
    expected: string,
    check: (value: unknown) => value is T,
  ): T | undefined {
    const value = this.lookup([...path, key]);
    if (value === undefined) return undefined;
    if (check(value)) return value;
    this.problem(`${where(path, key)} should be ${expected}, not ${JSON.stringify(value) ?? kindOf(value)}`, path, key);
    return undefined;
  }

  private problem(message: string, path: readonly string[], key?: string): void {
    const line = this.lineOf(path, key);
    this.problems.push({ message, ...(line !== undefined ? { line } : {}) });
  }

  /**
   * Where path.key is written, for the message: the `key =` line inside the [path] section, else the section's
   * header. A best effort (dotted keys and inline tables are not followed): the parser keeps no positions of values.
   */
  private lineOf(path: readonly string[], key?: string): number | undefined {
    const header = path.length ? this.lines.findIndex((l) => headerOf(l) === path.join('.')) : -1;
    if (path.length && header < 0) return undefined;
    if (key !== undefined) {
      for (let i = header + 1; i < this.lines.length; i++) {
        if (headerOf(this.lines[i]) !== undefined) break;
        if (new RegExp(`^\\s*["']?${escapeRegExp(key)}["']?\\s*=`).test(this.lines[i])) return i + 1;
      }
    }
    return header >= 0 ? header + 1 : undefined;
  }
}

function headerOf(line: string): string | undefined {
  const match = /^\s*\[\s*([^\]]+?)\s*\]\s*(#.*)?$/.exec(line);
  return match ? match[1].replace(/\s*\.\s*/g, '.').replace(/["']/g, '') : undefined;
}

function where(path: readonly string[], key: string): string {
  return path.length ? `[${path.join('.')}] ${key}` : key;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (isTable(value)) return 'a table';
  return typeof value;
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
const isWholeNumber = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value);
const isPort = (value: unknown): value is number => isWholeNumber(value) && value >= 1 && value <= 65535;
const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);
