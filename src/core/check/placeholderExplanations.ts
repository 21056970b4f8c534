// Whether a reader knows what value a placeholder takes. A name that says it (`<namespace>`, `<vm-name>`,
// `<customer id>`) needs no more words; a vague one (`<x>`, `<value>`, `<arg1>`) is explained when the runbook's prose,
// or a comment next to the command, mentions it in any form ("the VM name", "`<name>`", "NAMESPACE").

// Words that name no particular thing: a placeholder made only of these leaves the reader guessing.
const VAGUE = new Set(
  (
    'value val values arg args argument arguments param params parameter parameters thing things stuff foo bar baz ' +
    'qux tmp temp data input output something placeholder var variable string str text name id key item obj object ' +
    'field entry x y z n i j k a b c d e f p q s t v'
  ).split(' '),
);
// Short words that name a thing all the same: `<vm-name>`, `<pod>`, `<db>`.
const SHORT_NOUNS = new Set(
  'vm vms db pod pvc ip url uri dns sha pid job app env tag org ref uid uuid cpu az k8s ns sku api jwt tls ssl'.split(
    ' ',
  ),
);

/** The words of a name or of prose, lower case: `vm-name`, `VM name`, `vmName` and `VM_NAME` all give "vm name". */
export function wordsOf(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/**
 * A name that says what it is: a word that names a thing (`vm` in `<vm-name>`, `org` in `<org_id>`), or any word of
 * three letters or more that is not vague (`namespace`, `customer id`).
 */
export function isSelfDescribing(name: string): boolean {
  return wordsOf(name).some(
    (word) => SHORT_NOUNS.has(word) || (word.length >= 3 && !/^\d+$/.test(word) && !VAGUE.has(word)),
  );
}

/**
 * The words of each line of prose, to find whether some line mentions a placeholder: all of its words on one line, in
 * any order and form ("the name of the VM" mentions `<vm-name>`, "`<name>`" and "NAME" mention `<name>`).
 */
export class ProsePhrases {
  /** For each word, the lines (by number) it appears on, in order; and each line's words. */
  private readonly linesOf = new Map<string, number[]>();
  private readonly wordsOfLine: Array<Set<string>> = [];
  private readonly answers = new Map<string, boolean>();

  add(text: string): void {
    const line = this.wordsOfLine.length;
    const words = new Set(wordsOf(text));
    this.wordsOfLine.push(words);
    for (const word of words) {
      const lines = this.linesOf.get(word);
      if (lines) lines.push(line);
      else this.linesOf.set(word, [line]);
    }
  }

  mentions(name: string): boolean {
    let answer = this.answers.get(name);
    if (answer === undefined) {
      answer = this.findMention([...new Set(wordsOf(name))]);
      this.answers.set(name, answer);
    }
    return answer;
  }

  private findMention(words: readonly string[]): boolean {
    if (words.length === 0) return false;
    // Walk the lines of the rarest word and look the others up in each.
    let rarest: number[] | undefined;
    for (const word of words) {
      const lines = this.linesOf.get(word);
      if (!lines) return false;
      if (!rarest || lines.length < rarest.length) rarest = lines;
    }
    return rarest!.some((line) => words.every((word) => this.wordsOfLine[line].has(word)));
  }
}
