// Splits a runbook SQL block into statements with the real PostgreSQL parser, so a statement ends exactly where
// the server would end it (strings, dollar quotes, nested comments, BEGIN ATOMIC bodies, a `--` comment ended by
// a carriage return). The runbook's `<placeholders>` are not SQL: each bare one is replaced by a name of the same
// length before parsing, so offsets stay those of the block. A block the parser rejects is split by the server's
// lexer at its semicolons instead, and each piece parsed alone, so the statement at fault carries the parser's
// message and position while the others are still known.
import { isCodeToken, tokenizeSql, type LexicalStatement } from './sqlLexer';
import type { PgNode, SqlParser, SqlScanToken } from './sqlParser';
import { commentLabel, holdsBlankLine, lineOf, lineStartOffsets } from './statementText';

/** A statement as the lexer finds it, with what PostgreSQL's parser says of it. */
export interface SqlStatement extends LexicalStatement {
  /** The parse tree of the statement as written (placeholders stood in for by names); absent when rejected. */
  tree?: PgNode;
  /** Why PostgreSQL's parser rejects the statement, and where (0-based offset in `text`). */
  parseError?: { message: string; offset: number };
}

/** The statements of a block, in order; empty and comment-only statements are left out. */
export function splitStatements(block: string, parser: SqlParser): SqlStatement[] {
  if (block.trim() === '') return [];
  const parsable = withPlaceholdersAsNames(block);
  const tokens = parser.scan(parsable);
  const whole = parser.parse(parsable);
  const lineStarts = lineStartOffsets(block);
  if (whole.ok) {
    return whole.statements.flatMap((raw): SqlStatement[] => {
      const statement = statementBetween(block, tokens, lineStarts, raw.start, raw.end);
      return statement ? [{ ...statement, tree: raw.tree }] : [];
    });
  }
  // The lexer failed too (an unterminated string or comment): the rest of the block is one piece from there.
  const pieces = tokens ? piecesAtSemicolons(tokens, parsable.length) : [{ start: 0, end: parsable.length }];
  return pieces.flatMap(({ start, end }): SqlStatement[] => {
    const statement = statementBetween(block, tokens, lineStarts, start, end);
    if (!statement) return [];
    const alone = parser.parse(parsable.slice(statement.startOffset, statement.endOffset));
    if (!alone.ok) return [{ ...statement, parseError: { message: alone.message, offset: alone.offset } }];
    // A piece holds one statement, unless a semicolon sits inside a body the lexer cannot see (BEGIN ATOMIC).
    if (alone.statements.length === 1) return [{ ...statement, tree: alone.statements[0].tree }];
    return alone.statements.flatMap((raw): SqlStatement[] => {
      const part = statementBetween(
        block,
        tokens,
        lineStarts,
        statement.startOffset + raw.start,
        statement.startOffset + raw.end,
      );
      return part ? [{ ...part, tree: raw.tree }] : [];
    });
  });
}

/**
 * The block with each bare `<name>` placeholder (one the binder will fill in) replaced by `_name_`, a name of the
 * same length, so the parser can read the statement around it. Placeholders inside strings, quoted names and
 * comments are already SQL the parser reads.
 */
export function withPlaceholdersAsNames(block: string): string {
  let out = '';
  let last = 0;
  for (const token of tokenizeSql(block)) {
    if (token.kind !== 'placeholder') continue;
    out += block.slice(last, token.start) + `_${token.text.slice(1, -1).replace(/-/g, '_')}_`;
    last = token.end;
  }
  return last === 0 ? block : out + block.slice(last);
}

/**
 * The statement whose raw range is [from, to): trimmed to its code, with the comments above it as its label.
 * Uses the server's lexer when it could scan the block, else ours (the block does not parse then anyway).
 */
function statementBetween(
  block: string,
  tokens: readonly SqlScanToken[] | undefined,
  lineStarts: readonly number[],
  from: number,
  to: number,
): Omit<SqlStatement, 'tree' | 'parseError'> | undefined {
  const code = tokens ? codeTokensOf(tokens) : lexerCodeTokens(block);
  const inside = code.filter((t) => t.start >= from && t.end <= to && t.kind !== 'semicolon');
  if (inside.length === 0) return undefined;
  const startOffset = inside[0].start;
  const endOffset = inside[inside.length - 1].end;
  const statement: Omit<SqlStatement, 'tree' | 'parseError'> = {
    text: block.slice(startOffset, endOffset),
    startLine: lineOf(lineStarts, startOffset),
    endLine: lineOf(lineStarts, endOffset - 1),
    startOffset,
    endOffset,
  };
  const label = tokens ? labelAbove(block, tokens, startOffset) : undefined;
  if (label) statement.comment = label;
  return statement;
}

/** Comments right above a statement, back to the previous code or a blank line. */
function labelAbove(block: string, tokens: readonly SqlScanToken[], startOffset: number): string | undefined {
  const comments: string[] = [];
  let after = startOffset;
  for (let i = tokens.findIndex((t) => t.start >= startOffset) - 1; i >= 0; i--) {
    const token = tokens[i];
    if (token.kind !== 'comment' || holdsBlankLine(block.slice(token.end, after))) break;
    comments.unshift(token.text);
    after = token.start;
  }
  return commentLabel(comments) || undefined;
}

function codeTokensOf(tokens: readonly SqlScanToken[]): SqlScanToken[] {
  return tokens.filter((t) => t.kind !== 'comment');
}

/** Our lexer's code tokens, in the scanner's shape, for a block the server's lexer could not scan. */
function lexerCodeTokens(block: string): SqlScanToken[] {
  return tokenizeSql(block)
    .filter(isCodeToken)
    .map((t) => ({ start: t.start, end: t.end, text: t.text, kind: t.kind === 'semicolon' ? 'semicolon' : 'other' }));
}

/** Ranges between top-level semicolons, as psql splits a script. */
function piecesAtSemicolons(tokens: readonly SqlScanToken[], length: number): Array<{ start: number; end: number }> {
  const pieces: Array<{ start: number; end: number }> = [];
  let start = 0;
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === 'open') depth++;
    else if (token.kind === 'close') depth = Math.max(0, depth - 1);
    else if (token.kind === 'semicolon' && depth === 0) {
      pieces.push({ start, end: token.start });
      start = token.end;
    }
  }
  pieces.push({ start, end: length });
  return pieces;
}
