// A checklist line: a box glyph (□ ☐ ☑ ✓ ✔ ✅) or a task marker ([ ] [x]) before the text, optionally
// after a list marker when the line is read raw from a code block.
const CHECKBOX = /^\s*(?:[-*+]\s+)?([□☐☑✓✔✅]|\[[ xX]\])\s+(\S.*?)\s*$/;
const CHECKED = /[☑✓✔✅]|\[[xX]\]/;

export interface Checkbox {
  checked: boolean;
  text: string;
}

export function readCheckbox(line: string): Checkbox | undefined {
  const m = CHECKBOX.exec(line);
  return m ? { checked: CHECKED.test(m[1]), text: m[2] } : undefined;
}
