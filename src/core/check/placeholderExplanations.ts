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
const LONGEST_PHRASE = 4;

/** The words of a name or of prose, lower case: `vm-name`, `VM name`, `vmName` and `VM_NAME` all give "vm name". */
export function wordsOf(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** A name that says what it is: some word of three letters or more that is not vague (`org_id`, `namespace`). */
export function isSelfDescribing(name: string): boolean {
  return wordsOf(name).some((word) => word.length >= 3 && !/^\d+$/.test(word) && !VAGUE.has(word));
}

/** Every phrase of one to four words of the given prose, for finding a placeholder's words in it in one lookup. */
export class ProsePhrases {
  private readonly phrases = new Set<string>();

  add(text: string): void {
    const words = wordsOf(text);
    for (let i = 0; i < words.length; i++) {
      let phrase = '';
      for (let n = 0; n < LONGEST_PHRASE && i + n < words.length; n++) {
        phrase = n === 0 ? words[i] : `${phrase} ${words[i + n]}`;
        this.phrases.add(phrase);
      }
    }
  }

  /** Whether the prose holds the placeholder's words, in order (its first four when it has more). */
  mentions(name: string): boolean {
    const words = wordsOf(name).slice(0, LONGEST_PHRASE);
    return words.length > 0 && this.phrases.has(words.join(' '));
  }
}
