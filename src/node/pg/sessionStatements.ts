// What the runner knows about the named prepared statements of one server session.
//
// A named statement is parsed once per session and from then on only bound: the server skips parsing and analysing
// it (and, for a query without parameters, planning it) on every run. The runner names its own steps (BEGIN READ
// ONLY, the prelude, ROLLBACK) and the queries a runbook runs again and again: a health check polled every minute,
// a diagnosis rerun during an incident. Only those: every statement a session holds costs the session check
// (pg_prepared_statements lists them all) about half a microsecond on every run, so a query is named from its
// second run in the session on, and only the few used last are kept.
//
// A name is bound without parsing only where nothing but this runner can have put it there: on a direct connection
// to PostgreSQL, checked at login (the session's pg_backend_pid() is the process the server announced; a pooler
// announces a process of its own), and only after a batch that parsed it succeeded. SQL that prepares a statement
// is caught by the session check, which closes the connection. SQL that deallocates one shows as 26000 on the next
// Bind, and a query whose result type changed under it (ALTER TABLE) as 0A000: both happen before anything of that
// statement runs, and the runner parses everything anew and runs the block on from there. Behind a pooler one
// client connection meets many server sessions, so nothing is named there.
//
// The same login check sets plan_cache_mode = force_custom_plan on a direct session, so a named query with
// parameters is still planned for each run's values, as an unnamed one is: a cached generic plan can be far slower
// for skewed data, and a runbook's diagnosis should get the plan psql would get. Only parsing is saved for it.

/** Named queries kept per session; the least recently used one's name is reused beyond this. */
export const MAX_NAMED_QUERIES = 8;
/** Queries seen once per session, remembered so that their second run names them. */
const MAX_SEEN_ONCE = 64;
const QUERY_NAME_PREFIX = 'runbook_companion_query_';

export class SessionStatements {
  /** Checked at login: the connection reaches the PostgreSQL session itself (not a pooler), which plans every run. */
  direct = false;
  /** Name → the text this runner parsed under it, once a batch that parsed it succeeded. */
  private readonly trusted = new Map<string, string>();
  /** Query text → its name, least recently used first. */
  private readonly queryNames = new Map<string, string>();
  /** The query used last: already at the end of queryNames. */
  private latest?: string;
  /** Query texts run once in this session and not named, oldest first. */
  private readonly seenOnce = new Set<string>();

  /** What this runner last parsed as the session's unnamed statement, in a batch that succeeded. */
  private unnamed?: string;

  /** Whether `name` holds `text`, parsed by this runner, so that a Bind alone will do. */
  holds(name: string, text: string): boolean {
    return this.direct && this.trusted.get(name) === text;
  }

  /** Whether the unnamed statement holds `text`: SQL cannot touch it, but any Parse or simple query replaces it. */
  holdsUnnamed(text: string): boolean {
    return this.direct && this.unnamed === text;
  }

  /** The name a query runs under, or '' (the unnamed statement, parsed every time) where nothing is named. */
  nameForQuery(text: string): string {
    if (!this.direct) return '';
    let name = this.queryNames.get(text);
    if (name !== undefined) {
      if (text === this.latest) return name;
      this.queryNames.delete(text);
    } else if (!this.seenOnce.delete(text)) {
      if (this.seenOnce.size >= MAX_SEEN_ONCE) this.seenOnce.delete(this.seenOnce.values().next().value!);
      this.seenOnce.add(text);
      return '';
    } else if (this.queryNames.size < MAX_NAMED_QUERIES) {
      name = `${QUERY_NAME_PREFIX}${this.queryNames.size}`;
    } else {
      // The server still holds the oldest query under this name; the batch closes it before parsing the new one.
      const [oldestText, oldestName] = this.queryNames.entries().next().value!;
      this.queryNames.delete(oldestText);
      name = oldestName;
    }
    this.queryNames.set(text, name);
    this.latest = text;
    return name;
  }

  /** After a batch that succeeded: what it parsed can be bound from now on. */
  trust(parsed: ReadonlyMap<string, string>, unnamed: string | undefined): void {
    if (!this.direct) return;
    for (const [name, text] of parsed) this.trusted.set(name, text);
    if (unnamed !== undefined) this.unnamed = unnamed;
  }

  /** Something may have dropped or replaced named statements: close and parse each one anew before its next use. */
  forget(): void {
    this.trusted.clear();
    this.unnamed = undefined;
  }

  /** The runner sent a query of its own outside a batch (it used the unnamed statement). */
  forgetUnnamed(): void {
    this.unnamed = undefined;
  }

  /** DISCARD ALL dropped every prepared statement and reset the session's settings (checked again at setup). */
  reset(): void {
    this.forget();
    this.queryNames.clear();
    this.seenOnce.clear();
    this.latest = undefined;
    this.direct = false;
  }
}
