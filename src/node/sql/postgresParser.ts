// The real PostgreSQL parser for core's SqlParser interface: libpg-query, PostgreSQL 18's own grammar and lexer
// compiled to WebAssembly (no native build, nothing downloaded). It is loaded on the first SQL run, not at
// activation: requiring the package starts reading and compiling its 1.7 MB of WebAssembly. libpg-query reports
// node and token positions in UTF-8 bytes and an error's position in characters; core wants JavaScript string
// offsets, so both are converted here.
import type { ParsedRawStatement, SqlParseResult, SqlParser, SqlScanToken } from '../../core/sql/sqlParser';

type LibPgQuery = typeof import('libpg-query');

/** Touches the grammar's common paths: a query with a join, a function call, a cast, a parameter, a comment. */
const WARM_UP =
  "SELECT a.x, count(*)::int FROM s.t a JOIN u ON u.id = a.id WHERE a.y = $1 AND a.z LIKE 'q%' GROUP BY 1 ORDER BY 2 DESC LIMIT 5; -- c";

let loading: Promise<SqlParser> | undefined;
let loadMs: number | undefined;

/** The parser, loaded once per process; later calls resolve at once. */
export function loadPostgresParser(): Promise<SqlParser> {
  if (!loading) {
    const started = performance.now();
    loading = import('libpg-query').then(async (library) => {
      await library.loadModule();
      const parser = new PostgresParser(library);
      // WebAssembly functions are compiled on their first call: pay that here, once, not in the user's first verdict.
      parser.parse(WARM_UP);
      parser.scan(WARM_UP);
      loadMs = performance.now() - started;
      return parser;
    });
    // A failed load (a missing .wasm file) is not cached: the next run tries again and reports it again.
    loading.catch(() => (loading = undefined));
  }
  return loading;
}

/** How long loading the parser took (module, WebAssembly compile), once loaded. */
export function postgresParserLoadMs(): number | undefined {
  return loadMs;
}

class PostgresParser implements SqlParser {
  constructor(private readonly library: LibPgQuery) {}

  parse(sql: string): SqlParseResult {
    if (sql.trim() === '') return { ok: true, statements: [] };
    let result: ReturnType<LibPgQuery['parseSync']>;
    try {
      result = this.library.parseSync(sql);
    } catch (error) {
      const details = (error as { sqlDetails?: { message?: string; cursorPosition?: number } }).sqlDetails;
      const message = details?.message ?? (error instanceof Error ? error.message : String(error));
      return { ok: false, message, offset: offsetOfCharacter(sql, details?.cursorPosition ?? 0) };
    }
    const offsets = new ByteOffsets(sql);
    const statements: ParsedRawStatement[] = (result.stmts ?? []).flatMap((raw) => {
      if (!raw.stmt) return [];
      const startByte = raw.stmt_location ?? 0;
      // stmt_len 0 (left out) means "to the end of the text".
      const start = offsets.toIndex(startByte);
      const end = raw.stmt_len ? offsets.toIndex(startByte + raw.stmt_len) : sql.length;
      return [{ tree: raw.stmt, start, end }];
    });
    return { ok: true, statements };
  }

  scan(sql: string): SqlScanToken[] | undefined {
    if (sql.trim() === '') return [];
    let tokens: ReturnType<LibPgQuery['scanSync']>['tokens'];
    try {
      tokens = this.library.scanSync(sql).tokens;
    } catch {
      return undefined; // the lexer itself failed (an unterminated string or comment)
    }
    const offsets = new ByteOffsets(sql);
    return tokens.map((token) => {
      const start = offsets.toIndex(token.start);
      const end = offsets.toIndex(token.end);
      return { start, end, text: sql.slice(start, end), kind: tokenKind(token) };
    });
  }
}

function tokenKind(token: { tokenName: string; keywordKind: number; text: string }): SqlScanToken['kind'] {
  if (token.tokenName === 'SQL_COMMENT' || token.tokenName === 'C_COMMENT') return 'comment';
  if (token.text === ';') return 'semicolon';
  if (token.text === '(' || token.text === '[') return 'open';
  if (token.text === ')' || token.text === ']') return 'close';
  if (token.keywordKind !== 0 || token.tokenName === 'IDENT') return 'word';
  return 'other';
}

/** UTF-8 byte offsets of a string → its UTF-16 offsets. */
class ByteOffsets {
  private readonly map?: Uint32Array;

  constructor(private readonly text: string) {
    if (/^[\u0000-\u007f]*$/.test(text)) return;
    const map = new Uint32Array(Buffer.byteLength(text, 'utf8') + 1);
    let byte = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.codePointAt(i)!;
      const bytes = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      for (let b = 0; b < bytes; b++) map[byte + b] = i;
      byte += bytes;
      if (code >= 0x10000) i++; // a surrogate pair is one code point
    }
    map[byte] = text.length;
    this.map = map;
  }

  toIndex(byte: number): number {
    if (!this.map) return Math.min(byte, this.text.length);
    return this.map[Math.min(Math.max(0, byte), this.map.length - 1)];
  }
}

/** The UTF-16 offset of the `n`th code point (0-based). */
function offsetOfCharacter(text: string, n: number): number {
  let index = 0;
  for (let count = 0; count < n && index < text.length; count++) index += text.codePointAt(index)! > 0xffff ? 2 : 1;
  return index;
}
