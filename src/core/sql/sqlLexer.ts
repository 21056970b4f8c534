// Our own SQL lexer. The verdict on what SQL does comes from the real PostgreSQL parser (sqlParser.ts); this lexer
// is kept only where that parser gives nothing: finding the runbook's `<placeholder>`s, which are not SQL (the
// binder replaces them before anything is parsed), and judging SQL handed to psql inside a shell snippet, where
// no parser is loaded (lexicalClassification.ts). It follows Postgres's lexical rules (scan.l): strings,
// quoted identifiers, dollar quotes, nested block comments, and line comments that end at a line feed or a
// carriage return.

import { commentLabel, holdsBlankLine, lineOf, lineStartOffsets } from './statementText';

export type SqlTokenKind =
  | 'word' // keyword or unquoted identifier
  | 'quoted-identifier' // "name", U&"name"
  | 'string' // 'text', E'text', N'text', B'0101', X'ff', U&'text'
  | 'dollar-string' // $$body$$, $tag$body$tag$
  | 'number'
  | 'parameter' // $1
  | 'placeholder' // <name> written in code, for the user to fill in
  | 'operator'
  | 'punctuation' // ( ) [ ] , . : ::
  | 'semicolon'
  | 'line-comment'
  | 'block-comment'
  | 'whitespace'
  | 'other'; // anything Postgres itself would reject, such as a psql backslash command

export interface SqlToken {
  kind: SqlTokenKind;
  text: string;
  /** Offset of the first character in the scanned text. */
  start: number;
  /** Offset just past the last character. */
  end: number;
}

export interface LexicalStatement {
  /** The statement from its first to its last code character: no surrounding comments, no semicolon. */
  text: string;
  /** 0-based line, relative to the block, of the statement's first code character. */
  startLine: number;
  /** 0-based line, relative to the block, of the statement's last code character. */
  endLine: number;
  /** Offset in the block of the first character of `text`. */
  startOffset: number;
  /** Offset in the block just past the last character of `text`. */
  endOffset: number;
  /** Comments written just before the statement (markers stripped), often a label such as "Check active connections". */
  comment?: string;
}

/** `<org_id>`, `<migration-name>`: the runbook's placeholder syntax. */
const PLACEHOLDER_PATTERN = /<([A-Za-z_][A-Za-z0-9_-]*)>/y;

const IDENT_START = /[A-Za-z_\u0080-\uFFFF]/;
const IDENT_PART = /[A-Za-z0-9_$\u0080-\uFFFF]/;
const OPERATOR_CHARS = '+-*/<>=~!@#%^&|`?';
const DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uFFFF][A-Za-z0-9_\u0080-\uFFFF]*)?\$/y;
const NUMBER = /(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?)/y;

export function isCodeToken(token: SqlToken): boolean {
  return token.kind !== 'whitespace' && token.kind !== 'line-comment' && token.kind !== 'block-comment';
}

/** Scans SQL into tokens that cover the whole text; unterminated strings and comments run to the end. */
export function tokenizeSql(text: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  const push = (kind: SqlTokenKind, end: number) => {
    tokens.push({ kind, text: text.slice(i, end), start: i, end });
    i = end;
  };
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (/\s/.test(c)) {
      let end = i + 1;
      while (end < text.length && /\s/.test(text[end])) end++;
      push('whitespace', end);
    } else if (c === '-' && next === '-') {
      // Postgres ends a `--` comment at a line feed or a carriage return (scan.l's `newline`), so must we.
      let end = i + 2;
      while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
      push('line-comment', end);
    } else if (c === '/' && next === '*') {
      push('block-comment', endOfBlockComment(text, i));
    } else if (c === "'") {
      push('string', endOfQuoted(text, i, "'", false));
    } else if (c === '"') {
      push('quoted-identifier', endOfQuoted(text, i, '"', false));
    } else if ((c === 'E' || c === 'e') && next === "'") {
      push('string', endOfQuoted(text, i + 1, "'", true)); // backslash escapes only in E''
    } else if ('NnBbXx'.includes(c) && next === "'") {
      push('string', endOfQuoted(text, i + 1, "'", false));
    } else if ((c === 'U' || c === 'u') && next === '&' && (text[i + 2] === "'" || text[i + 2] === '"')) {
      push(text[i + 2] === "'" ? 'string' : 'quoted-identifier', endOfQuoted(text, i + 2, text[i + 2], false));
    } else if (IDENT_START.test(c)) {
      let end = i + 1;
      while (end < text.length && IDENT_PART.test(text[end])) end++;
      push('word', end);
    } else if (c === '$') {
      const param = /\$\d+/y;
      param.lastIndex = i;
      DOLLAR_TAG.lastIndex = i;
      if (param.test(text)) push('parameter', param.lastIndex);
      else if (DOLLAR_TAG.test(text)) {
        const tag = text.slice(i, DOLLAR_TAG.lastIndex);
        const close = text.indexOf(tag, DOLLAR_TAG.lastIndex);
        push('dollar-string', close === -1 ? text.length : close + tag.length);
      } else push('other', i + 1);
    } else if (/\d/.test(c) || (c === '.' && next !== undefined && /\d/.test(next))) {
      NUMBER.lastIndex = i;
      NUMBER.test(text);
      push('number', Math.max(NUMBER.lastIndex, i + 1));
    } else if (c === ';') {
      push('semicolon', i + 1);
    } else if (c === ':' && next === ':') {
      push('punctuation', i + 2);
    } else if ('()[],.:'.includes(c)) {
      push('punctuation', i + 1);
    } else if (c === '<' && placeholderLengthAt(text, i) > 0) {
      push('placeholder', i + placeholderLengthAt(text, i));
    } else if (OPERATOR_CHARS.includes(c)) {
      push('operator', endOfOperator(text, i));
    } else {
      push('other', i + 1);
    }
  }
  return tokens;
}

/**
 * The body of a dollar-quoted string token (`$$…$$`, `$tag$…$tag$`): where it starts and ends in the token's
 * text, and whether the closing tag is there (an unterminated one runs to the end of the text).
 */
export function dollarQuotedBody(tokenText: string): { start: number; end: number; closed: boolean } {
  const tag = tokenText.slice(0, tokenText.indexOf('$', 1) + 1);
  const closed = tokenText.length >= tag.length * 2 && tokenText.endsWith(tag);
  return { start: tag.length, end: closed ? tokenText.length - tag.length : tokenText.length, closed };
}

/** Length of a `<name>` placeholder starting at `offset`, or 0 when there is none. */
export function placeholderLengthAt(text: string, offset: number): number {
  PLACEHOLDER_PATTERN.lastIndex = offset;
  const match = PLACEHOLDER_PATTERN.exec(text);
  return match ? match[0].length : 0;
}

/**
 * The statements of a block by our lexer alone, in order; empty and comment-only statements are left out. Only
 * for SQL judged without the parser (psql text in shell snippets): the runner splits with the parser.
 */
export function splitStatementsLexically(block: string): LexicalStatement[] {
  const tokens = tokenizeSql(block);
  const lineStarts = lineStartOffsets(block);
  const statements: LexicalStatement[] = [];
  let code: SqlToken[] = [];
  let comments: SqlToken[] = [];
  let depth = 0; // parentheses and BEGIN ATOMIC bodies, where psql does not split either
  let atomicBody = false;

  const finish = () => {
    if (code.length > 0) {
      const first = code[0];
      const last = code[code.length - 1];
      const statement: LexicalStatement = {
        text: block.slice(first.start, last.end),
        startLine: lineOf(lineStarts, first.start),
        endLine: lineOf(lineStarts, last.end - 1),
        startOffset: first.start,
        endOffset: last.end,
      };
      const comment = commentLabel(comments.map((token) => token.text));
      if (comment) statement.comment = comment;
      statements.push(statement);
    }
    code = [];
    comments = [];
    depth = 0;
    atomicBody = false;
  };

  for (const token of tokens) {
    if (token.kind === 'semicolon' && depth <= 0) {
      finish();
      continue;
    }
    if (!isCodeToken(token)) {
      // Comments before the first code token describe the statement; a blank line starts a new description.
      if (code.length === 0) {
        if (token.kind === 'whitespace' && holdsBlankLine(token.text)) comments = [];
        else if (token.kind !== 'whitespace') comments.push(token);
      }
      continue;
    }
    code.push(token);
    if (token.kind === 'punctuation' && token.text === '(') depth++;
    else if (token.kind === 'punctuation' && token.text === ')') depth--;
    else if (token.kind === 'word') {
      const word = token.text.toLowerCase();
      // SQL-standard function bodies (CREATE FUNCTION ... BEGIN ATOMIC ... END) hold semicolons.
      if (
        word === 'atomic' &&
        code.length >= 2 &&
        code[code.length - 2].text.toLowerCase() === 'begin' &&
        code[0].text.toLowerCase() === 'create'
      ) {
        atomicBody = true;
        depth++;
      } else if (atomicBody && word === 'case') depth++;
      else if (atomicBody && word === 'end' && depth > 0) depth--;
    }
  }
  finish();
  return statements;
}

function endOfBlockComment(text: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    if (text[i] === '/' && text[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (text[i] === '*' && text[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return text.length;
}

/** End of a quoted token whose opening quote is at `quoteAt`; a doubled quote stays inside. */
function endOfQuoted(text: string, quoteAt: number, quote: string, backslashEscapes: boolean): number {
  let i = quoteAt + 1;
  while (i < text.length) {
    const c = text[i];
    if (backslashEscapes && c === '\\') i += 2;
    else if (c === quote && text[i + 1] === quote) i += 2;
    else if (c === quote) return i + 1;
    else i++;
  }
  return text.length;
}

function endOfOperator(text: string, start: number): number {
  let end = start + 1;
  while (end < text.length && OPERATOR_CHARS.includes(text[end])) {
    const c = text[end];
    // A comment or a placeholder ends an operator, as `x=<org_id>` and `1--comment` show.
    if ((c === '-' && text[end + 1] === '-') || (c === '/' && text[end + 1] === '*')) break;
    if (c === '<' && placeholderLengthAt(text, end) > 0) break;
    end++;
  }
  return end;
}
