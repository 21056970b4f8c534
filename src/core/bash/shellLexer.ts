// A small POSIX/bash lexer: words with their unquoted values, control operators, redirections, comments and
// here-doc bodies, with offsets into the text. It is resumable (fed line by line) so the snippet splitter can ask,
// after every line, whether the command typed so far is complete, in linear time even when a quote never closes.
// It is not a full bash parser: it knows enough to find command boundaries, words and quoting contexts.

import { ChunkedText } from './chunkedText';

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
  /** Where each of `substitutions` starts in the text. */
  substitutionStarts: number[];
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
  /** The value so far, except the text span still being kept (see `keep`). */
  value: string;
  keptFrom: number;
  keptTo: number;
  quoted: boolean;
  substitutions: string[];
  substitutionStarts: number[];
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
// Most words have no substitution: they share this empty list (frozen, so that nobody adds to it by mistake).
const NO_SUBSTITUTIONS = Object.freeze([]) as unknown as string[];
const NO_STARTS = Object.freeze([]) as unknown as number[];
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;
// Per context, the characters that mean nothing there: a run of them is taken in one step instead of one character
// at a time. Each leaves out every character its context handles (and `<`, which may start a placeholder).
const PLAIN_RUNS = {
  top: /[^ \t\r\n\\'"`$<>|&;()]+/y,
  single: /[^'<]+/y,
  ansi: /[^\\'<]+/y,
  double: /[^\\"`$<]+/y,
  backtick: /[^\\`<]+/y,
  param: /[^}\\'"`$<]+/y,
  arith: /[^()$<]+/y,
  cmdsub: /[^\\()'"`$#<]+/y,
};

export class ShellLexer {
  private readonly text = new ChunkedText();
  // The last line fed so far when it has no newline yet: lexed only once it is complete, or at finish().
  private tail = '';
  private i = 0;
  private readonly out: ShellToken[] = [];
  private readonly sites: PlaceholderSite[] = [];
  private readonly frames: Frame[] = [];
  // How many open frames are backticks, and backticks or $( … ): asked at every placeholder and every opening, so
  // counted rather than searched for (deeply nested text would make the search quadratic).
  private backtickFrames = 0;
  private substitutionFrames = 0;
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
    const text = this.tail + chunk;
    const lastNewline = text.lastIndexOf('\n');
    if (lastNewline === -1) {
      this.tail = text;
      return;
    }
    this.text.append(text.slice(0, lastNewline + 1));
    this.tail = text.slice(lastNewline + 1);
    this.run(this.text.length);
  }

  /** Lexes whatever is left (a last line without a newline). */
  finish(): void {
    this.text.append(this.tail);
    this.tail = '';
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

  /** The text fed so far, or part of it; the last line only once it is complete or `finish()` was called. */
  source(from = 0, to?: number): string {
    return this.text.slice(from, to);
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
    const insideBackticks = this.backtickFrames > 0;
    this.sites.push({ name: m[1], start: this.i, end: this.i + m[0].length, context, insideBackticks });
    return m[0].length;
  }

  private startWord(): WordInProgress {
    if (!this.word)
      this.word = {
        start: this.i,
        value: '',
        keptFrom: 0,
        keptTo: 0,
        quoted: false,
        substitutions: NO_SUBSTITUTIONS,
        substitutionStarts: NO_STARTS,
      };
    this.danglingBackslash = false;
    return this.word;
  }

  private push(type: FrameType, skip: number): void {
    const substitution = type === 'backtick' || type === 'cmdsub';
    const records = substitution && this.substitutionFrames === 0;
    this.frames.push({ type, depth: 0, subStart: this.i + skip, records });
    if (substitution) this.substitutionFrames++;
    if (type === 'backtick') this.backtickFrames++;
    this.i += skip;
  }

  private pop(closeLength: number): void {
    const frame = this.frames.pop()!;
    if (frame.type === 'backtick' || frame.type === 'cmdsub') this.substitutionFrames--;
    if (frame.type === 'backtick') this.backtickFrames--;
    if (frame.records && this.word) {
      if (this.word.substitutions === NO_SUBSTITUTIONS) {
        this.word.substitutions = [];
        this.word.substitutionStarts = [];
      }
      this.word.substitutions.push(this.text.slice(frame.subStart, this.i));
      this.word.substitutionStarts.push(frame.subStart);
    }
    this.i += closeLength;
  }

  /**
   * Puts the text from `from` to `to` into the word's value as written. Most of a value is its text as written, so
   * adjoining spans are joined and copied once (appending character by character made every word a long chain of
   * tiny strings for the garbage collector to follow).
   */
  /** A placeholder at the cursor is kept whole, as written, and stepped over. */
  private keptPlaceholder(w: WordInProgress, context: PlaceholderContext): boolean {
    const n = this.placeholderHere(context);
    if (!n) return false;
    this.keep(w, this.i, this.i + n);
    this.i += n;
    return true;
  }

  /** A backslash and the character it escapes are kept together (a backslash at the very end is not an escape). */
  private keptEscape(w: WordInProgress): boolean {
    if (this.text.charAt(this.i + 1) === undefined) return false;
    this.keep(w, this.i, this.i + 2);
    this.i += 2;
    return true;
  }

  private keep(w: WordInProgress, from: number, to: number): void {
    if (from === w.keptTo && w.keptTo > w.keptFrom) {
      w.keptTo = to;
      return;
    }
    this.flushKept(w);
    w.keptFrom = from;
    w.keptTo = to;
  }

  /** Puts text that is not written as such (an escape's meaning) into the word's value. */
  private add(w: WordInProgress, text: string): void {
    this.flushKept(w);
    w.value += text;
  }

  private flushKept(w: WordInProgress): void {
    if (w.keptTo > w.keptFrom) w.value += this.text.slice(w.keptFrom, w.keptTo);
    w.keptFrom = w.keptTo = 0;
  }

  /** Adds the run of plain characters at `this.i` to the word (at least one character). */
  private plainRun(w: WordInProgress, run: RegExp): void {
    const end = Math.max(this.i + 1, this.text.runEnd(run, this.i));
    this.keep(w, this.i, end);
    this.i = end;
  }

  private stepTop(): void {
    const t = this.text;
    const c = t.charAt(this.i);
    if (c === '\\') {
      const n = t.charAt(this.i + 1);
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
      this.keep(w, this.i + 1, this.i + 2);
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
      this.keep(this.startWord(), this.i, this.i + 1);
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
        this.keep(w, this.i, this.i + taken);
        this.i += taken;
        return;
      }
    }
    if ((c === '<' || c === '>') && t.charAt(this.i + 1) === '(') {
      const w = this.startWord();
      this.keep(w, this.i, this.i + 2);
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
    this.plainRun(w, PLAIN_RUNS.top);
  }

  private sitesInComment(from: number, to: number): void {
    this.findPlaceholders(from, to, 'comment', this.backtickFrames > 0);
  }

  private dollar(w: WordInProgress): void {
    const t = this.text;
    const n = t.charAt(this.i + 1);
    if (n === '(' && t.charAt(this.i + 2) === '(') {
      this.keep(w, this.i, this.i + 3);
      this.push('arith', 3);
      return;
    }
    if (n === '(') {
      this.keep(w, this.i, this.i + 2);
      this.push('cmdsub', 2);
      return;
    }
    if (n === '{') {
      this.keep(w, this.i, this.i + 2);
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
    this.keep(w, this.i, this.i + 1);
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
    // A word written without quotes or escapes is its own value: one string instead of two.
    if (w.value === '' && w.keptFrom === w.start && w.keptTo === this.i) w.value = raw;
    else this.flushKept(w);
    this.out.push({
      kind: 'word',
      raw,
      value: w.value,
      start: w.start,
      end: this.i,
      quoted: w.quoted,
      substitutions: w.substitutions,
      substitutionStarts: w.substitutionStarts,
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
    const c = t.charAt(this.i);
    const w = this.startWord();
    switch (frame.type) {
      case 'single':
        if (c === "'") {
          if (this.insideSubstitution()) this.keep(w, this.i, this.i + 1);
          this.pop(1);
          return;
        }
        if (c === '<' && this.keptPlaceholder(w, 'single-quote')) return;
        this.plainRun(w, PLAIN_RUNS.single);
        return;
      case 'ansi':
        const escaped = c === '\\' ? t.charAt(this.i + 1) : undefined;
        if (escaped !== undefined) {
          this.add(w, ANSI_ESCAPES[escaped] ?? c + escaped);
          this.i += 2;
          return;
        }
        if (c === "'") {
          this.pop(1);
          return;
        }
        if (c === '<' && this.keptPlaceholder(w, 'ansi-quote')) return;
        this.plainRun(w, PLAIN_RUNS.ansi);
        return;
      case 'double':
        if (c === '\\') {
          const n = t.charAt(this.i + 1);
          if (n === undefined) {
            this.keep(w, this.i, this.i + 1);
            this.i++;
            return;
          }
          if (n === '\n') {
            this.i += 2;
            return;
          }
          if ('$`"\\'.includes(n)) this.keep(w, this.i + 1, this.i + 2);
          else this.keep(w, this.i, this.i + 2);
          this.i += 2;
          return;
        }
        if (c === '"') {
          if (this.insideSubstitution()) this.keep(w, this.i, this.i + 1);
          this.pop(1);
          return;
        }
        if (c === '`') {
          this.keep(w, this.i, this.i + 1);
          this.push('backtick', 1);
          return;
        }
        if (c === '$') {
          this.dollarInside(w);
          return;
        }
        if (c === '<' && this.keptPlaceholder(w, 'double-quote')) return;
        this.plainRun(w, PLAIN_RUNS.double);
        return;
      case 'backtick':
        if (c === '\\' && this.keptEscape(w)) return;
        if (c === '`') {
          this.keep(w, this.i, this.i + 1);
          this.pop(1);
          return;
        }
        if (c === '<' && this.keptPlaceholder(w, 'unquoted')) return;
        this.plainRun(w, PLAIN_RUNS.backtick);
        return;
      case 'cmdsub':
        return this.stepInCommandSubstitution(frame, w);
      case 'param':
        if (c === '}') {
          this.keep(w, this.i, this.i + 1);
          this.pop(1);
          return;
        }
        if (c === '\\' && this.keptEscape(w)) return;
        if (c === "'") {
          this.push('single', 1);
          return;
        }
        if (c === '"') {
          this.push('double', 1);
          return;
        }
        if (c === '`') {
          this.keep(w, this.i, this.i + 1);
          this.push('backtick', 1);
          return;
        }
        if (c === '$') {
          this.dollarInside(w);
          return;
        }
        if (c === '<' && this.keptPlaceholder(w, 'parameter-expansion')) return;
        this.plainRun(w, PLAIN_RUNS.param);
        return;
      case 'arith':
        if (c === '(') {
          frame.depth++;
          this.keep(w, this.i, this.i + 1);
          this.i++;
          return;
        }
        if (c === ')') {
          if (frame.depth === 0 && t.charAt(this.i + 1) === ')') {
            this.keep(w, this.i, this.i + 2);
            this.pop(2);
            return;
          }
          if (frame.depth > 0) frame.depth--;
          this.keep(w, this.i, this.i + 1);
          this.i++;
          return;
        }
        if (c === '$') {
          this.dollarInside(w);
          return;
        }
        if (c === '<' && this.keptPlaceholder(w, 'arithmetic')) return;
        this.plainRun(w, PLAIN_RUNS.arith);
        return;
    }
  }

  private stepInCommandSubstitution(frame: Frame, w: WordInProgress): void {
    const t = this.text;
    const c = t.charAt(this.i);
    if (c === '\\' && this.keptEscape(w)) return;
    if (c === '(') {
      frame.depth++;
      this.keep(w, this.i, this.i + 1);
      this.i++;
      return;
    }
    if (c === ')') {
      if (frame.depth === 0) {
        this.keep(w, this.i, this.i + 1);
        this.pop(1);
        return;
      }
      frame.depth--;
      this.keep(w, this.i, this.i + 1);
      this.i++;
      return;
    }
    if (c === "'") {
      this.keep(w, this.i, this.i + 1);
      this.push('single', 1);
      return;
    }
    if (c === '"') {
      this.keep(w, this.i, this.i + 1);
      this.push('double', 1);
      return;
    }
    if (c === '`') {
      this.keep(w, this.i, this.i + 1);
      this.push('backtick', 1);
      return;
    }
    if (c === '$') {
      this.dollarInside(w);
      return;
    }
    if (c === '#' && /[\s(;|&]/.test(t.charAt(this.i - 1) ?? ' ')) {
      // A comment inside $( … ) runs to the end of the line; a ')' in it does not close anything.
      let end = t.indexOf('\n', this.i);
      if (end === -1) end = t.length;
      this.sitesInComment(this.i, end);
      this.keep(w, this.i, end);
      this.i = end;
      return;
    }
    if (c === '<' && this.keptPlaceholder(w, 'unquoted')) return;
    this.plainRun(w, PLAIN_RUNS.cmdsub);
  }

  private insideSubstitution(): boolean {
    return this.substitutionFrames > 0;
  }

  private dollarInside(w: WordInProgress): void {
    const t = this.text;
    const n = t.charAt(this.i + 1);
    if (n === '(' && t.charAt(this.i + 2) === '(') {
      this.keep(w, this.i, this.i + 3);
      this.push('arith', 3);
      return;
    }
    if (n === '(') {
      this.keep(w, this.i, this.i + 2);
      this.push('cmdsub', 2);
      return;
    }
    if (n === '{') {
      this.keep(w, this.i, this.i + 2);
      this.push('param', 2);
      return;
    }
    if (n === "'" && this.frames[this.frames.length - 1].type !== 'double') {
      this.push('ansi', 2);
      return;
    }
    this.keep(w, this.i, this.i + 1);
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
