// The lexer under the splitter, risk check and placeholder quoting: words, operators, here-docs, contexts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShellLexer, tokenizeShell } from '../../../src/core/bash/shellLexer';
import { splitSimpleCommands, unwrapCommand } from '../../../src/core/bash/simpleCommands';

const shape = (text: string): string[] =>
  tokenizeShell(text).tokens.map((t) => {
    switch (t.kind) {
      case 'word':
        return `w:${t.value}`;
      case 'operator':
        return `op:${t.op === '\n' ? 'NL' : t.op}`;
      case 'redirect':
        return `r:${t.op}`;
      case 'comment':
        return `#:${t.text}`;
      case 'heredoc':
        return `doc:${t.body}`;
    }
  });

test('words lose their quotes; operators and redirections are separate tokens', () => {
  assert.deepEqual(shape(`FOO='a b' git "log" --format='%h' 2>&1 >>out.txt | tee x; a&&b || c &`), [
    'w:FOO=a b',
    'w:git',
    'w:log',
    'w:--format=%h',
    'r:>&',
    'w:1',
    'r:>>',
    'w:out.txt',
    'op:|',
    'w:tee',
    'w:x',
    'op:;',
    'w:a',
    'op:&&',
    'w:b',
    'op:||',
    'w:c',
    'op:&',
  ]);
  assert.deepEqual(shape('echo a\\ b \\$HOME "x\\"y" $\'t\\tz\''), ['w:echo', 'w:a b', 'w:$HOME', 'w:x"y', 'w:t\tz']);
});

test('command substitutions are kept in the word and listed for the risk check', () => {
  const [echo, arg] = tokenizeShell('echo "$(rm -rf "$DIR")-`date`" ').tokens;
  assert.equal(echo.kind === 'word' && echo.value, 'echo');
  assert.ok(arg.kind === 'word');
  assert.deepEqual(arg.substitutions, ['rm -rf "$DIR"', 'date']);
  assert.equal(tokenizeShell('x=$(( (1+2) * 3 ))').open, undefined);
  assert.equal(tokenizeShell('echo ${HOME:-/root}').open, undefined);
  assert.equal(tokenizeShell('diff <(sort a) <(sort b)').open, undefined);
});

test('comments start only at the beginning of a word', () => {
  assert.deepEqual(shape('echo a#b # real comment'), ['w:echo', 'w:a#b', '#:# real comment']);
  assert.deepEqual(shape('echo $# "#x"'), ['w:echo', 'w:$#', 'w:#x']);
});

test('here-docs: body, quoted delimiter, <<- tab stripping, two on one line', () => {
  const lexed = tokenizeShell("cat <<EOF <<'RAW'\nline $x\nEOF\nraw $y\nRAW\necho after");
  const docs = lexed.tokens.filter((t) => t.kind === 'heredoc');
  assert.deepEqual(
    docs.map((d) => d.kind === 'heredoc' && [d.delimiter, d.quoted, d.body]),
    [
      ['EOF', false, 'line $x\n'],
      ['RAW', true, 'raw $y\n'],
    ],
  );
  assert.equal(lexed.open, undefined);
  assert.deepEqual(shape('cat <<-EOF\n\tx\n\tEOF\necho y'), [
    'w:cat',
    'r:<<-',
    'w:EOF',
    'op:NL',
    'doc:\tx\n',
    'w:echo',
    'w:y',
  ]);
});

test('open constructs say why a command is not finished yet', () => {
  const open = (text: string): string | undefined => tokenizeShell(text).open;
  assert.equal(open("echo 'a"), 'single-quote');
  assert.equal(open('echo "a'), 'double-quote');
  assert.equal(open('echo `a'), 'backtick');
  assert.equal(open('echo $(a'), 'command-substitution');
  assert.equal(open('cat <<EOF\nbody'), 'here-doc');
  assert.equal(open('echo a \\\n'), 'line-continuation');
  assert.equal(open('a &&\n'), 'operator');
  assert.equal(open('a |'), 'operator');
  assert.equal(open('if true; then\n echo x\n'), 'block');
  assert.equal(open('case $x in\n a) echo a;;\n'), 'block');
  assert.equal(open('case $x in\n a) echo a;;\nesac'), undefined);
  assert.equal(open('f() {\n echo\n}'), undefined);
  assert.equal(open('echo {a,b} }'), undefined);
});

test('the lexer can be fed line by line and reports completeness after each line', () => {
  const lexer = new ShellLexer();
  lexer.feed('psql <<SQL\n');
  assert.equal(lexer.openConstruct(), 'here-doc');
  lexer.feed('select 1;\n');
  assert.equal(lexer.openConstruct(), 'here-doc');
  lexer.feed('SQL\n');
  assert.equal(lexer.openConstruct(), undefined);
});

test('placeholders are single words and carry their quoting context', () => {
  const sites = tokenizeShell(
    "f <a> '<b>' \"<c>\" $'<d>' ${X:-<e>} $((<f>)) `g <h>` # <i>\ncat <<E\n<j>\nE\ncat <<'E'\n<k>\nE",
  ).placeholders;
  assert.deepEqual(
    sites.map((s) => [s.name, s.context, s.insideBackticks]),
    [
      ['a', 'unquoted', false],
      ['b', 'single-quote', false],
      ['c', 'double-quote', false],
      ['d', 'ansi-quote', false],
      ['e', 'parameter-expansion', false],
      ['f', 'arithmetic', false],
      ['h', 'unquoted', true],
      ['i', 'comment', false],
      ['j', 'here-doc', false],
      ['k', 'literal-here-doc', false],
    ],
  );
  // `<a>` is a word, not a redirection from a file named "a>".
  assert.deepEqual(shape('supabase functions deploy <function_name>'), [
    'w:supabase',
    'w:functions',
    'w:deploy',
    'w:<function_name>',
  ]);
  assert.deepEqual(shape('a <b c> d'), ['w:a', 'r:<', 'w:b', 'w:c', 'r:>', 'w:d']);
});

test('simple commands: chains, pipelines, compound commands and case patterns', () => {
  const cmds = splitSimpleCommands(
    'for f in a b; do rm "$f"; done; case $x in a) echo a;; *) git push;; esac; if true; then npm run build; fi | cat',
  );
  assert.deepEqual(
    cmds.map((c) => c.words.map((w) => w.value)),
    [['rm', '$f'], ['echo', 'a'], ['git', 'push'], ['true'], ['npm', 'run', 'build'], ['cat']],
  );
  assert.equal(cmds[5].pipedInto, true);
  const [psql] = splitSimpleCommands('PGPASSWORD=x psql -f a.sql <<SQL > out.txt\nselect 1;\nSQL');
  assert.deepEqual(
    psql.assignments.map((w) => w.value),
    ['PGPASSWORD=x'],
  );
  assert.deepEqual(
    psql.redirections.map((r) => [r.op, r.target?.value, r.hereDoc?.body]),
    [
      ['<<', 'SQL', 'select 1;\n'],
      ['>', 'out.txt', undefined],
    ],
  );
});

test('wrappers are peeled off to find the command that really runs', () => {
  const argv = (text: string): string[] => unwrapCommand(splitSimpleCommands(text)[0].words).argv;
  assert.deepEqual(argv('sudo -u postgres -E psql -c x'), ['psql', '-c', 'x']);
  assert.deepEqual(argv('env -i A=b B=c git push'), ['git', 'push']);
  assert.deepEqual(argv('timeout -s KILL 30s curl -X POST u'), ['curl', '-X', 'POST', 'u']);
  assert.deepEqual(argv('npx --yes supabase@2.20.0 db push'), ['supabase', 'db', 'push']);
  assert.deepEqual(argv('pnpm dlx supabase functions list'), ['supabase', 'functions', 'list']);
  assert.deepEqual(argv('xargs -n1 -I{} rm {}'), ['rm', '{}']);
  assert.deepEqual(argv('nohup nice -n 10 npm run dev'), ['npm', 'run', 'dev']);
  assert.deepEqual(argv('command -v supabase'), ['command', '-v', 'supabase']);
  assert.deepEqual(unwrapCommand(splitSimpleCommands('sudo env X=1 rm x')[0].words).wrappers, ['sudo', 'env']);
});
