// A small POSIX/bash lexer: words with their unquoted values, control operators, redirections, comments and
// here-doc bodies, with offsets into the text. It is resumable (fed line by line) so the snippet splitter can ask,
// after every line, whether the command typed so far is complete, in linear time even when a quote never closes.
// It is not a full bash parser: it knows enough to find command boundaries, words and quoting contexts.

export type ControlOperator = '&&' | '||' | ';' | ';;' | ';&' | ';;&' | '|' | '|&' | '&' | '\n' | '(' | ')';

export interface WordToken {
  kind: 'word';
  /** The word as written, quotes included. */
  raw: string;
  /** The word after quote removal; expansions such as `$HOME` or `$(…)` are kept as written. */
  value: string;
  start: number;
  end: number;
  quoted: boolean;
  /** The inner text of each outermost `$(…)`, backtick or `<(…)` substitution in the word. */
  substitutions: string[];
}

export interface OperatorToken {
  kind: 'operator';
  op: ControlOperator;
  start: number;
  end: number;
}
export interface RedirectToken {
  kind: 'redirect';
  op: string;
  start: number;
  end: number;
}
export interface CommentToken {
  kind: 'comment';
  text: string;
  start: number;
  end: number;
}
export interface HereDocToken {
  kind: 'heredoc';
  delimiter: string;
  /** A quoted delimiter (`<<'EOF'`) makes the body literal: no expansion. */
  quoted: boolean;
  body: string;
  /** Offsets of the body (the delimiter line excluded). */
  start: number;
  end: number;
}

export type ShellToken = WordToken | OperatorToken | RedirectToken | CommentToken | HereDocToken;

/** What keeps the text from being a complete command. */
export type OpenConstruct =
  | 'single-quote'
  | 'double-quote'
  | 'ansi-quote'
  | 'backtick'
  | 'command-substitution'
  | 'parameter-expansion'
  | 'arithmetic'
  | 'here-doc'
  | 'line-continuation'
  | 'operator'
  | 'redirect'
  | 'block';

/** The quoting context of a `<name>` placeholder, which decides how a value is inserted safely. */
export type PlaceholderContext =
  | 'unquoted'
  | 'single-quote'
  | 'double-quote'
  | 'ansi-quote'
  | 'parameter-expansion'
  | 'arithmetic'
  | 'here-doc'
  | 'literal-here-doc'
  | 'comment';

export interface PlaceholderSite {
  name: string;
  start: number;
  end: number;
  context: PlaceholderContext;
  /** Inside backticks, the shell removes one level of backslashes before running the inner command. */
  insideBackticks: boolean;
}

type FrameType = 'single' | 'ansi' | 'double' | 'backtick' | 'cmdsub' | 'param' | 'arith';
interface Frame {
  type: FrameType;
  depth: number;
  subStart: number;
  records: boolean;
}
interface PendingHereDoc {
  delimiter: string;
  quoted: boolean;
  stripTabs: boolean;
}
interface WordInProgress {
  start: number;
  value: string;
  quoted: boolean;
  substitutions: string[];
}

// Same shape as the runbook model's placeholders: a name directly inside angle brackets.
const PLACEHOLDER_AT = /^<([A-Za-z_][A-Za-z0-9_-]*)>/;
const REDIRECTS = ['&>>', '&>', '<<<', '<<-', '<<', '<>', '<&', '>>', '>&', '>|', '<', '>'];
const CONTROLS: ControlOperator[] = [';;&', '&&', '||', ';;', ';&', '|&', ';', '|', '&', '(', ')'];
// The common escapes of $'…' strings; others (\x41, \u00e9, \0) are kept as written.
const ANSI_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;

export class ShellLexer {
  private text = '';
  private i = 0;
  private readonly out: ShellToken[] = [];
  private readonly sites: PlaceholderSite[] = [];
  private frames: Frame[] = [];
  private word: WordInProgress | undefined;
  private commandStart = true;
  private continuation = false;
  private danglingBackslash = false;
  private pendingRedirect: string | undefined;
  private readonly blocks: string[] = [];
  private readonly pendingHereDocs: PendingHereDoc[] = [];
  private hereDoc: { doc: PendingHereDoc; bodyStart: number } | undefined;

  get tokens(): readonly ShellToken[] {
    return this.out;
  }
  get placeholders(): readonly PlaceholderSite[] {
    return this.sites;
  }

  /** Adds text. Only whole lines are lexed until `finish()`, so an operator is never cut in two. */
  feed(chunk: string): void {
    this.text += chunk;
    const lastNewline = this.text.lastIndexOf('\n');
    if (lastNewline >= this.i) this.run(lastNewline + 1);
  }

  /** Lexes whatever is left (a last line without a newline). */
  finish(): void {
    this.run(this.text.length);
    this.endWord();
    if (this.hereDoc && this.i >= this.text.length) {
      // An unterminated here-doc still yields its body so that callers can show it.
      const { doc, bodyStart } = this.hereDoc;
      this.out.push({
        kind: 'heredoc',
        delimiter: doc.delimiter,
        quoted: doc.quoted,
        body: this.text.slice(bodyStart),
        start: bodyStart,
        end: this.text.length,
      });
    }
  }

  /** Why the text fed so far is not yet a complete command; undefined when it is. */
  openConstruct(): OpenConstruct | undefined {
    const frame = this.frames[this.frames.length - 1];
    if (frame) {
      const names: Record<FrameType, OpenConstruct> = {
        single: 'single-quote',
        ansi: 'ansi-quote',
        double: 'double-quote',
        backtick: 'backtick',
        cmdsub: 'command-substitution',
        param: 'parameter-expansion',
        arith: 'arithmetic',
      };
      return names[frame.type];
    }
    if (this.hereDoc || this.pendingHereDocs.length > 0) return 'here-doc';
    if (this.danglingBackslash) return 'line-continuation';
    if (this.pendingRedirect) return 'redirect';
    if (this.continuation) return 'operator';
    if (this.blocks.length > 0) return 'block';
    return undefined;
  }

  private run(limit: number): void {
    while (this.i < limit) {
      if (this.hereDoc) {
        this.hereDocLine(limit);
        continue;
      }
      this.danglingBackslash = false;
      const frame = this.frames[this.frames.length - 1];
      if (frame) this.stepInFrame(frame);
      else this.stepTop();
    }
  }

  private hereDocLine(limit: number): void {
    const t = this.text;
    const nl = t.indexOf('\n', this.i);
    if (nl === -1 || nl >= limit) {
      // A last line without newline (only at finish): it may still be the delimiter.
      if (limit === t.length) this.checkHereDocEnd(this.i, t.length, t.length);
      else this.i = limit;
      return;
    }
    this.checkHereDocEnd(this.i, nl, nl + 1);
  }

  private checkHereDocEnd(lineStart: number, lineEnd: number, next: number): void {
    const here = this.hereDoc!;
    let line = this.text.slice(lineStart, lineEnd).replace(/\r$/, '');
    if (here.doc.stripTabs) line = line.replace(/^\t+/, '');
    if (line === here.doc.delimiter) {
      const body = this.text.slice(here.bodyStart, lineStart);
      this.out.push({
        kind: 'heredoc',
        delimiter: here.doc.delimiter,
        quoted: here.doc.quoted,
        body,
        start: here.bodyStart,
        end: lineStart,
      });
      this.pendingHereDocs.shift();
      this.hereDoc = this.pendingHereDocs[0] ? { doc: this.pendingHereDocs[0], bodyStart: next } : undefined;
    } else {
      this.findPlaceholders(lineStart, lineEnd, here.doc.quoted ? 'literal-here-doc' : 'here-doc', false);
    }
    this.i = next;
  }

  private findPlaceholders(from: number, to: number, context: PlaceholderContext, insideBackticks: boolean): void {
    const segment = this.text.slice(from, to);
    const re = /<([A-Za-z_][A-Za-z0-9_-]*)>/g;
    for (let m = re.exec(segment); m; m = re.exec(segment)) {
      this.sites.push({
        name: m[1],
        start: from + m.index,
        end: from + m.index + m[0].length,
        context,
        insideBackticks,
      });
    }
  }

  private placeholderHere(context: PlaceholderContext): number {
    const m = PLACEHOLDER_AT.exec(this.text.slice(this.i, this.i + 80));
    if (!m) return 0;
    const insideBackticks = this.frames.some((f) => f.type === 'backtick');
    this.sites.push({ name: m[1], start: this.i, end: this.i + m[0].length, context, insideBackticks });
    return m[0].length;
  }

  private startWord(): WordInProgress {
    if (!this.word) this.word = { start: this.i, value: '', quoted: false, substitutions: [] };
    this.danglingBackslash = false;
    return this.word;
  }

  private push(type: FrameType, skip: number): void {
    const records =
      type === 'backtick' || type === 'cmdsub'
        ? !this.frames.some((f) => f.type === 'backtick' || f.type === 'cmdsub')
        : false;
    this.frames.push({ type, depth: 0, subStart: this.i + skip, records });
    this.i += skip;
  }

  private pop(closeLength: number): void {
    const frame = this.frames.pop()!;
    if (frame.records && this.word) this.word.substitutions.push(this.text.slice(frame.subStart, this.i));
    this.i += closeLength;
  }

  private stepTop(): void {
    const t = this.text;
    const c = t[this.i];
    if (c === '\\') {
      const n = t[this.i + 1];
      if (n === '\n') {
        this.i += 2;
        this.danglingBackslash = this.i >= t.length;
        return;
      }
      const w = this.startWord();
      if (n === undefined) {
        this.i += 1;
        this.danglingBackslash = true;
        return;
      }
      w.value += n;
      w.quoted = true;
      this.i += 2;
      return;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      this.endWord();
      this.i++;
      return;
    }
    if (c === '\n') {
      this.endWord();
      this.operator('\n', 1);
      return;
    }
    if (c === '#' && !this.word) {
      let end = t.indexOf('\n', this.i);
      if (end === -1) end = t.length;
      this.sitesInComment(this.i, end);
      this.out.push({ kind: 'comment', text: t.slice(this.i, end), start: this.i, end });
      this.i = end;
      return;
    }
    if (c === "'") {
      this.startWord().quoted = true;
      this.push('single', 1);
      return;
    }
    if (c === '"') {
      this.startWord().quoted = true;
      this.push('double', 1);
      return;
    }
    if (c === '`') {
      this.startWord().value += c;
      this.push('backtick', 1);
      return;
    }
    if (c === '$') {
      this.dollar(this.startWord());
      return;
    }
    if (c === '<') {
      const taken = this.placeholderHere('unquoted');
      if (taken) {
        const w = this.startWord();
        w.value += t.slice(this.i, this.i + taken);
        this.i += taken;
        return;
      }
    }
    if ((c === '<' || c === '>') && t[this.i + 1] === '(') {
      const w = this.startWord();
      w.value += c + '(';
      this.push('cmdsub', 2);
      return;
    }
    if (c === '&' || c === '|' || c === ';' || c === '(' || c === ')' || c === '<' || c === '>') {
      const redirect = REDIRECTS.find((r) => t.startsWith(r, this.i));
      if (redirect) {
        this.redirect(redirect);
        return;
      }
      const op = CONTROLS.find((o) => t.startsWith(o, this.i))!;
      this.endWord();
      this.operator(op, op.length);
      return;
    }
    const w = this.startWord();
    w.value += c;
    this.i++;
  }

  private sitesInComment(from: number, to: number): void {
    this.findPlaceholders(
      from,
      to,
      'comment',
      this.frames.some((f) => f.type === 'backtick'),
    );
  }

  private dollar(w: WordInProgress): void {
    const t = this.text;
    const n = t[this.i + 1];
    if (n === '(' && t[this.i + 2] === '(') {
      w.value += '$((';
      this.push('arith', 3);
      return;
    }
    if (n === '(') {
      w.value += '$(';
      this.push('cmdsub', 2);
      return;
    }
    if (n === '{') {
      w.value += '${';
      this.push('param', 2);
      return;
    }
    if (n === "'") {
      w.quoted = true;
      this.push('ansi', 2);
      return;
    }
    if (n === '"') {
      w.quoted = true;
      this.push('double', 2);
      return;
    }
    w.value += '$';
    this.i++;
  }

  private redirect(op: string): void {
    // `2>` and `10>&`: a word made only of digits right before the operator is its file descriptor.
    let start = this.i;
    if (this.word && /^\d+$/.test(this.text.slice(this.word.start, this.i)) && (op[0] === '<' || op[0] === '>')) {
      start = this.word.start;
      this.word = undefined;
    } else {
      this.endWord();
    }
    this.i += op.length;
    this.out.push({ kind: 'redirect', op, start, end: this.i });
    this.pendingRedirect = op;
    this.continuation = false;
  }

  private operator(op: ControlOperator, length: number): void {
    const start = this.i;
    this.i += length;
    if (this.pendingRedirect === '<<' || this.pendingRedirect === '<<-') this.pendingRedirect = undefined;
    if (op === '\n') {
      // Here-doc bodies start on the next line even when the command goes on after `&&` or `|`.
      if (this.pendingHereDocs[0] && !this.hereDoc) this.hereDoc = { doc: this.pendingHereDocs[0], bodyStart: this.i };
      // A newline after `&&`, `||` or `|` continues the command, as bash does.
      if (this.continuation) return;
      this.out.push({ kind: 'operator', op, start, end: this.i });
      this.commandStart = true;
      return;
    }
    this.out.push({ kind: 'operator', op, start, end: this.i });
    this.commandStart = true;
    this.continuation = op === '&&' || op === '||' || op === '|' || op === '|&';
    const top = this.blocks[this.blocks.length - 1];
    if (op === '(' && top !== 'case') this.blocks.push('(');
    if (op === ')' && top === '(') this.blocks.pop();
  }

  private endWord(): void {
    const w = this.word;
    if (!w) return;
    this.word = undefined;
    const raw = this.text.slice(w.start, this.i);
    this.out.push({
      kind: 'word',
      raw,
      value: w.value,
      start: w.start,
      end: this.i,
      quoted: w.quoted,
      substitutions: w.substitutions,
    });
    this.continuation = false;
    if (this.pendingRedirect) {
      if (this.pendingRedirect === '<<' || this.pendingRedirect === '<<-') {
        this.pendingHereDocs.push({ delimiter: w.value, quoted: w.quoted, stripTabs: this.pendingRedirect === '<<-' });
      }
      this.pendingRedirect = undefined;
      return;
    }
    if (!this.commandStart || w.quoted) {
      this.commandStart = false;
      return;
    }
    this.reservedWord(w.value);
  }

  // Tracks compound commands (if … fi, while … do … done, case … esac, { … }) so that their lines stay together.
  private reservedWord(value: string): void {
    const top = this.blocks[this.blocks.length - 1];
    const close = (opener: string): void => {
      if (top === opener) this.blocks.pop();
    };
    switch (value) {
      case 'if':
        this.blocks.push('if');
        return;
      case 'do':
        this.blocks.push('do');
        return;
      case '{':
        this.blocks.push('{');
        return;
      case 'case':
        this.blocks.push('case');
        this.commandStart = false;
        return;
      case 'then':
      case 'else':
      case 'elif':
      case '!':
      case 'time':
      case 'while':
      case 'until':
        return;
      case 'fi':
        close('if');
        break;
      case 'done':
        close('do');
        break;
      case 'esac':
        close('case');
        break;
      case '}':
        close('{');
        break;
      default:
        if (ASSIGNMENT.test(value)) return;
    }
    this.commandStart = false;
  }

  private stepInFrame(frame: Frame): void {
    const t = this.text;
    const c = t[this.i];
    const w = this.startWord();
    switch (frame.type) {
      case 'single':
        if (c === "'") {
          if (this.insideSubstitution()) w.value += c;
          this.pop(1);
          return;
        }
        if (c === '<') {
          const n = this.placeholderHere('single-quote');
          if (n) {
            w.value += t.slice(this.i, this.i + n);
            this.i += n;
            return;
          }
        }
        w.value += c;
        this.i++;
        return;
      case 'ansi':
        if (c === '\\' && t[this.i + 1] !== undefined) {
          w.value += ANSI_ESCAPES[t[this.i + 1]] ?? c + t[this.i + 1];
          this.i += 2;
          return;
        }
        if (c === "'") {
          this.pop(1);
          return;
        }
        if (c === '<') {
          const n = this.placeholderHere('ansi-quote');
          if (n) {
            w.value += t.slice(this.i, this.i + n);
            this.i += n;
            return;
          }
        }
        w.value += c;
        this.i++;
        return;
      case 'double':
        if (c === '\\') {
          const n = t[this.i + 1];
          if (n === undefined) {
            w.value += c;
            this.i++;
            return;
          }
          if (n === '\n') {
            this.i += 2;
            return;
          }
          w.value += '$`"\\'.includes(n) ? n : c + n;
          this.i += 2;
          return;
        }
        if (c === '"') {
          if (this.insideSubstitution()) w.value += c;
          this.pop(1);
          return;
        }
        if (c === '`') {
          w.value += c;
          this.push('backtick', 1);
          return;
        }
        if (c === '$') {
          this.dollarInside(w);
          return;
        }
        if (c === '<') {
          const n = this.placeholderHere('double-quote');
          if (n) {
            w.value += t.slice(this.i, this.i + n);
            this.i += n;
            return;
          }
        }
        w.value += c;
        this.i++;
        return;
      case 'backtick':
        if (c === '\\' && t[this.i + 1] !== undefined) {
          w.value += c + t[this.i + 1];
          this.i += 2;
          return;
        }
        if (c === '`') {
          w.value += c;
          this.pop(1);
          return;
        }
        if (c === '<') {
          const n = this.placeholderHere('unquoted');
          if (n) {
            w.value += t.slice(this.i, this.i + n);
            this.i += n;
            return;
          }
        }
        w.value += c;
        this.i++;
        return;
      case 'cmdsub':
        return this.stepInCommandSubstitution(frame, w);
      case 'param':
        if (c === '}') {
          w.value += c;
          this.pop(1);
          return;
        }
        if (c === '\\' && t[this.i + 1] !== undefined) {
          w.value += c + t[this.i + 1];
          this.i += 2;
          return;
        }
        if (c === "'") {
          this.push('single', 1);
          return;
        }
        if (c === '"') {
          this.push('double', 1);
          return;
        }
        if (c === '`') {
          w.value += c;
          this.push('backtick', 1);
          return;
        }
        if (c === '$') {
          this.dollarInside(w);
          return;
        }
        if (c === '<') {
          const n = this.placeholderHere('parameter-expansion');
          if (n) {
            w.value += t.slice(this.i, this.i + n);
            this.i += n;
            return;
          }
        }
        w.value += c;
        this.i++;
        return;
      case 'arith':
        if (c === '(') {
          frame.depth++;
          w.value += c;
          this.i++;
          return;
        }
        if (c === ')') {
          if (frame.depth === 0 && t[this.i + 1] === ')') {
            w.value += '))';
            this.pop(2);
            return;
          }
          if (frame.depth > 0) frame.depth--;
          w.value += c;
          this.i++;
          return;
        }
        if (c === '$') {
          this.dollarInside(w);
          return;
        }
        if (c === '<') {
          const n = this.placeholderHere('arithmetic');
          if (n) {
            w.value += t.slice(this.i, this.i + n);
            this.i += n;
            return;
          }
        }
        w.value += c;
        this.i++;
        return;
    }
  }

  private stepInCommandSubstitution(frame: Frame, w: WordInProgress): void {
    const t = this.text;
    const c = t[this.i];
    if (c === '\\' && t[this.i + 1] !== undefined) {
      w.value += c + t[this.i + 1];
      this.i += 2;
      return;
    }
    if (c === '(') {
      frame.depth++;
      w.value += c;
      this.i++;
      return;
    }
    if (c === ')') {
      if (frame.depth === 0) {
        w.value += c;
        this.pop(1);
        return;
      }
      frame.depth--;
      w.value += c;
      this.i++;
      return;
    }
    if (c === "'") {
      w.value += c;
      this.push('single', 1);
      return;
    }
    if (c === '"') {
      w.value += c;
      this.push('double', 1);
      return;
    }
    if (c === '`') {
      w.value += c;
      this.push('backtick', 1);
      return;
    }
    if (c === '$') {
      this.dollarInside(w);
      return;
    }
    if (c === '#' && /[\s(;|&]/.test(t[this.i - 1] ?? ' ')) {
      // A comment inside $( … ) runs to the end of the line; a ')' in it does not close anything.
      let end = t.indexOf('\n', this.i);
      if (end === -1) end = t.length;
      this.sitesInComment(this.i, end);
      w.value += t.slice(this.i, end);
      this.i = end;
      return;
    }
    if (c === '<') {
      const n = this.placeholderHere('unquoted');
      if (n) {
        w.value += t.slice(this.i, this.i + n);
        this.i += n;
        return;
      }
    }
    w.value += c;
    this.i++;
  }

  private insideSubstitution(): boolean {
    return this.frames.some((f) => f.type === 'cmdsub' || f.type === 'backtick');
  }

  private dollarInside(w: WordInProgress): void {
    const t = this.text;
    const n = t[this.i + 1];
    if (n === '(' && t[this.i + 2] === '(') {
      w.value += '$((';
      this.push('arith', 3);
      return;
    }
    if (n === '(') {
      w.value += '$(';
      this.push('cmdsub', 2);
      return;
    }
    if (n === '{') {
      w.value += '${';
      this.push('param', 2);
      return;
    }
    if (n === "'" && this.frames[this.frames.length - 1].type !== 'double') {
      this.push('ansi', 2);
      return;
    }
    w.value += '$';
    this.i++;
  }
}

export interface LexedShell {
  tokens: readonly ShellToken[];
  placeholders: readonly PlaceholderSite[];
  open: OpenConstruct | undefined;
}

export function tokenizeShell(text: string): LexedShell {
  const lexer = new ShellLexer();
  lexer.feed(text);
  lexer.finish();
  return { tokens: lexer.tokens, placeholders: lexer.placeholders, open: lexer.openConstruct() };
}

export function isAssignmentWord(word: WordToken): boolean {
  return ASSIGNMENT.test(word.raw);
}
