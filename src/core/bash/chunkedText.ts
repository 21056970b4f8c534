// Text that grows by appended chunks (the lines of a command, fed one by one) and is read by offset. Appending to
// one string and reading it again made V8 copy the whole text on every line: a 672 KB continued command took
// 12 s to split. Here an append costs its own length, a read of one character costs O(1) in the chunk last read
// (O(log chunks) elsewhere), and a slice costs its own length.

export class ChunkedText {
  private readonly chunks: string[] = [];
  private readonly starts: number[] = [];
  private total = 0;
  // The chunk last read by charAt: the lexer reads forwards, so nearly every read lands in it.
  private current = '';
  private currentStart = 0;

  get length(): number {
    return this.total;
  }

  append(chunk: string): void {
    if (chunk === '') return;
    this.chunks.push(chunk);
    this.starts.push(this.total);
    this.total += chunk.length;
  }

  /** The character at `offset`; undefined outside the text. */
  charAt(offset: number): string | undefined {
    const inCurrent = offset - this.currentStart;
    if (inCurrent >= 0 && inCurrent < this.current.length) return this.current[inCurrent];
    const k = this.chunkAt(offset);
    if (k < 0) return undefined;
    this.current = this.chunks[k];
    this.currentStart = this.starts[k];
    return this.current[offset - this.currentStart];
  }

  /** Where the run that `run` (a sticky pattern) matches at `offset` ends, within the chunk holding `offset`. */
  runEnd(run: RegExp, offset: number): number {
    if (this.charAt(offset) === undefined) return offset;
    run.lastIndex = offset - this.currentStart;
    return run.test(this.current) ? this.currentStart + run.lastIndex : offset;
  }

  startsWith(search: string, offset: number): boolean {
    for (let j = 0; j < search.length; j++) if (this.charAt(offset + j) !== search[j]) return false;
    return true;
  }

  /** The first `char` at or after `from`; -1 when there is none. */
  indexOf(char: string, from: number): number {
    for (let k = Math.max(0, this.chunkAt(from)); k < this.chunks.length; k++) {
      const start = this.starts[k];
      const found = this.chunks[k].indexOf(char, Math.max(0, from - start));
      if (found !== -1) return start + found;
    }
    return -1;
  }

  slice(from: number, to: number = this.total): string {
    from = Math.max(0, from);
    to = Math.min(this.total, to);
    if (to <= from) return '';
    let k = this.chunkAt(from);
    const first = this.chunks[k];
    const firstStart = this.starts[k];
    if (to <= firstStart + first.length) return first.slice(from - firstStart, to - firstStart);
    const parts = [first.slice(from - firstStart)];
    for (k++; k < this.chunks.length && this.starts[k] < to; k++)
      parts.push(this.chunks[k].slice(0, to - this.starts[k]));
    return parts.join('');
  }

  /** Index of the chunk holding `offset`, or -1. */
  private chunkAt(offset: number): number {
    if (offset < 0 || offset >= this.total) return -1;
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }
}
