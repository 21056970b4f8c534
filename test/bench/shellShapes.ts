// Shell fence bodies that once made splitting slow down faster than they grow: shared by the bench (time per MB
// against markdown-it on the same text) and the unit test that compares two sizes. `make(n)` builds n units.

export interface ShellShape {
  name: string;
  make: (units: number) => string;
}

/** The shape grown to about `bytes`. */
export function shapeOfSize(shape: ShellShape, bytes: number): string {
  const perUnit = shape.make(200).length / 200;
  return shape.make(Math.max(1, Math.round(bytes / perUnit)));
}

export const PATHOLOGICAL_SHELL_SHAPES: readonly ShellShape[] = [
  { name: 'one command continued with "\\" over every line', make: (n) => 'echo a \\\n'.repeat(n) + 'end\n' },
  {
    name: 'a continued command with a placeholder on every line',
    make: (n) => 'echo <ticket_id> \\\n'.repeat(n) + 'end\n',
  },
  {
    name: 'a single-quoted string over every line',
    make: (n) => "echo '\n" + 'some text in the string\n'.repeat(n) + "'\n",
  },
  {
    name: 'a here-document with a placeholder on every line',
    make: (n) => 'cat <<EOF\n' + 'body line $HOME <ticket_id>\n'.repeat(n) + 'EOF\n',
  },
  {
    name: 'an if block with a comment above every command',
    make: (n) => 'if true; then\n' + '  # say a\n  echo a\n'.repeat(n) + 'fi\n',
  },
  { name: 'many commands, each under a comment', make: (n) => '# say a\necho a\n'.repeat(n) },
  { name: 'nested $( … ) on one line', make: (n) => 'echo ' + '$('.repeat(n) + ')'.repeat(n) + '\n' },
  { name: 'backticks inside $( … ), nested', make: (n) => 'echo ' + '$(`'.repeat(n) + '`)'.repeat(n) + '\n' },
  { name: 'a numbered step with a long run of spaces', make: (n) => '1. a' + ' '.repeat(n * 8) + 'b\n' },
  { name: 'a bullet with a long run of spaces', make: (n) => '- a' + ' '.repeat(n * 8) + 'b\n' },
  { name: 'one long line of words', make: (n) => 'echo' + ' word'.repeat(n * 2) + '\n' },
  { name: 'an unclosed double quote', make: (n) => 'echo "\n' + 'text $HOME <x>\n'.repeat(n) },
  { name: 'a run of backslashes', make: (n) => 'echo ' + '\\\\'.repeat(n * 4) + '\n' },
];
