// The real PostgreSQL parser, as core sees it: a small interface that src/node fills with libpg-query (the
// PostgreSQL 18 grammar compiled to WebAssembly), so that core stays pure and every verdict about SQL comes
// from the grammar the server itself uses: statement kinds, names with escapes decoded and case folded,
// comments ended where Postgres ends them. Offsets here are JavaScript string offsets (UTF-16 code units);
// the adapter converts the parser's byte offsets.
import type { Node } from 'libpg-query';

/** A node of PostgreSQL's raw parse tree, as JSON: `{ SelectStmt: {…} }`, `{ FuncCall: {…} }`, … */
export type PgNode = Node;

export interface ParsedRawStatement {
  /** The statement's parse tree. */
  tree: PgNode;
  /** Where the parser says the statement starts; it may include leading comments. */
  start: number;
  /** Just past its end: the semicolon's offset, or the end of the text. */
  end: number;
}

export type SqlParseResult =
  | { ok: true; statements: ParsedRawStatement[] }
  /** `offset` is where the parser stopped (0-based), as Postgres reports an error's position. */
  | { ok: false; message: string; offset: number };

export interface SqlScanToken {
  start: number;
  end: number;
  text: string;
  kind: 'comment' | 'semicolon' | 'open' | 'close' | 'word' | 'other';
}

export interface SqlParser {
  /** Parses SQL text (any number of statements) the way the server would. */
  parse(sql: string): SqlParseResult;
  /** The lexer's tokens, comments included; undefined when the lexer itself fails (an unterminated string). */
  scan(sql: string): SqlScanToken[] | undefined;
}
