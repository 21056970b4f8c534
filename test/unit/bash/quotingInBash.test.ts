// The proof of the quoting: substituted commands run in a real /bin/bash print each hostile value exactly and
// never run any part of it. `curl` and `rm` are shadowed by scripts that only leave a marker, HOME is a sandbox
// with a canary file, and the marker file /tmp/pwned-<random> must never appear.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { PlaceholderSubstitutionError, substitutePlaceholders } from '../../../src/core/bash/substitutePlaceholders';
import { hostileValues } from '../shell/hostileValues';

const BASH = '/bin/bash';
const marker = `/tmp/pwned-${randomBytes(8).toString('hex')}`;
const values = hostileValues(marker);
let sandbox = '';
let env: NodeJS.ProcessEnv = {};

before(() => {
  sandbox = mkdtempSync(join(tmpdir(), 'runbook-quoting-'));
  const home = join(sandbox, 'home');
  const bin = join(sandbox, 'bin');
  mkdirSync(home);
  mkdirSync(bin);
  writeFileSync(join(home, 'canary'), 'still here');
  for (const shadowed of ['curl', 'rm']) {
    writeFileSync(join(bin, shadowed), `#!/bin/sh\necho "${shadowed} ran" >> '${marker}'\n`);
    chmodSync(join(bin, shadowed), 0o755);
  }
  env = { PATH: `${bin}:/usr/bin:/bin`, HOME: home, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' };
});

after(() => {
  if (sandbox) rmSync(sandbox, { recursive: true, force: true });
  rmSync(marker, { force: true });
});

function assertNothingRan(what: string): void {
  assert.ok(!existsSync(marker), `${what}: a value ran as a command (${marker} exists)`);
  assert.equal(readFileSync(join(env.HOME!, 'canary'), 'utf8'), 'still here', `${what}: the sandbox HOME was touched`);
}

const stripTrailingNewlines = (v: string): string => v.replace(/\n+$/, '');

interface Context {
  template: string;
  expected: (value: string) => string;
  /** Here-docs cannot hold a line break safely: substitution must refuse it. */
  refusesLineBreaks?: boolean;
  /** echo reads a leading "-" as its own option; that is echo, not quoting. */
  skip?: (value: string) => boolean;
}

const CONTEXTS: Context[] = [
  { template: 'echo <name>', expected: (v) => `${v}\n`, skip: (v) => v.startsWith('-') },
  { template: "printf '%s\\n' <name>", expected: (v) => `${v}\n` },
  { template: "printf '%s\\n' '<name>'", expected: (v) => `${v}\n` },
  { template: "printf '%s\\n' 'pre <name> post'", expected: (v) => `pre ${v} post\n` },
  { template: 'printf \'%s\\n\' "<name>"', expected: (v) => `${v}\n` },
  { template: 'printf \'%s\\n\' "pre $HOME <name> post"', expected: (v) => `pre ${env.HOME} ${v} post\n` },
  { template: "printf '%s\\n' pre-<name>-post", expected: (v) => `pre-${v}-post\n` },
  { template: "printf '%s\\n' $'a<name>b'", expected: (v) => `a${v}b\n` },
  { template: "printf '%s\\n' \"$(printf '%s' <name>)\"", expected: (v) => `${stripTrailingNewlines(v)}\n` },
  { template: 'printf \'%s\\n\' "$(printf \'%s\' "<name>")"', expected: (v) => `${stripTrailingNewlines(v)}\n` },
  { template: "x=`printf '%s' <name>`; printf '%s\\n' \"$x\"", expected: (v) => `${stripTrailingNewlines(v)}\n` },
  { template: "printf '%s\\n' \"`printf '%s' <name>`\"", expected: (v) => `${stripTrailingNewlines(v)}\n` },
  { template: 'FOO=<name>; printf \'%s\\n\' "$FOO"', expected: (v) => `${v}\n` },
  { template: 'printf \'%s\\n\' "$<name>"', expected: (v) => `$${v}\n` },
  { template: "printf '%s\\n' \\$<name>", expected: (v) => `$${v}\n` },
  { template: 'cat <<EOF\n<name>\nEOF', expected: (v) => `${v}\n`, refusesLineBreaks: true },
  { template: 'cat <<EOF\n$HOME: <name>\nEOF', expected: (v) => `${env.HOME}: ${v}\n`, refusesLineBreaks: true },
  { template: "cat <<'EOF'\n<name>\nEOF", expected: (v) => `${v}\n`, refusesLineBreaks: true },
];

test('bash -c: every hostile value prints exactly and runs nothing, in every quoting context', () => {
  let runs = 0;
  for (const context of CONTEXTS) {
    for (const value of values) {
      if (context.skip?.(value)) continue;
      const label = `${JSON.stringify(context.template)} with ${JSON.stringify(value).slice(0, 60)}`;
      if (context.refusesLineBreaks && /[\r\n]/.test(value)) {
        assert.throws(
          () => substitutePlaceholders(context.template, { name: value }),
          PlaceholderSubstitutionError,
          label,
        );
        continue;
      }
      const command = substitutePlaceholders(context.template, { name: value });
      const run = spawnSync(BASH, ['--norc', '--noprofile', '-c', command], { env, encoding: 'utf8', timeout: 10_000 });
      runs++;
      assert.equal(run.status, 0, `${label}: exit ${run.status}, stderr ${run.stderr}`);
      assert.equal(run.stdout, context.expected(value), label);
      assertNothingRan(label);
    }
  }
  assert.ok(runs > 400, `ran ${runs} commands`);
});

test('interactive bash (history expansion on): "!!", "!$" and the rest stay literal', () => {
  // Commands typed into the integrated terminal meet an interactive shell, where "!" expands inside double quotes.
  const outDir = join(sandbox, 'interactive');
  mkdirSync(outDir);
  const contexts = ['printf %s <name>', 'printf %s "<name>"', "printf %s '<name>'", 'printf %s "x$HOME"-<name>'];
  const lines: string[] = ['set -H', 'echo warm-up'];
  const expected: string[] = [];
  values.forEach((value, i) => {
    contexts.forEach((template, j) => {
      lines.push(`${substitutePlaceholders(template, { name: value })} > '${join(outDir, `${i}-${j}`)}'`);
      expected.push(j === 3 ? `x${env.HOME}-${value}` : value);
    });
  });
  const run = spawnSync(BASH, ['--norc', '--noprofile', '-i'], {
    env,
    input: lines.join('\n') + '\nexit 0\n',
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(run.status, 0, run.stderr.slice(-2000));
  let k = 0;
  values.forEach((value, i) => {
    contexts.forEach((template, j) => {
      const file = join(outDir, `${i}-${j}`);
      assert.ok(existsSync(file), `${template} with ${JSON.stringify(value).slice(0, 40)} wrote nothing`);
      assert.equal(readFileSync(file, 'utf8'), expected[k++], `${template} with ${JSON.stringify(value).slice(0, 60)}`);
    });
  });
  assertNothingRan('interactive bash');
});

test('a secret placeholder: the command names a variable, bash puts in the value as one literal argument', () => {
  const VARIABLE = 'RUNBOOK_SECRET_NEW_KEY';
  let runs = 0;
  for (const context of CONTEXTS) {
    // A quoted here-doc expands nothing, so a variable cannot reach it: substitution refuses.
    if (context.template.includes("<<'EOF'")) {
      assert.throws(() => substitutePlaceholders(context.template, {}, { name: VARIABLE }), /quoted here-doc/);
      continue;
    }
    if (context.template.includes('$<name>')) continue; // refused for any value (a "$" right before it)
    // The same command line for every value: the value is never part of it.
    const command = substitutePlaceholders(context.template, {}, { name: VARIABLE });
    assert.ok(command.includes(`\${${VARIABLE}}`) && !command.includes('<name>'), command);
    for (const value of values) {
      if (context.skip?.(value) || (context.refusesLineBreaks && /[\r\n]/.test(value))) continue;
      const label = `${JSON.stringify(context.template)} with ${JSON.stringify(value).slice(0, 60)}`;
      const run = spawnSync(BASH, ['--norc', '--noprofile', '-c', command], {
        env: { ...env, [VARIABLE]: value },
        encoding: 'utf8',
        timeout: 10_000,
      });
      runs++;
      assert.equal(run.status, 0, `${label}: exit ${run.status}, stderr ${run.stderr}`);
      // Command substitution drops trailing newlines whatever the value's origin; the rest is the same.
      assert.equal(run.stdout, context.expected(value), label);
      assertNothingRan(label);
    }
  }
  assert.ok(runs > 300, `ran ${runs} commands`);
});

test('the shadowed commands would have been noticed: the harness itself works', () => {
  // If quoting failed, these are the commands that would have run. Check that the marker catches them.
  const run = spawnSync(BASH, ['--norc', '--noprofile', '-c', 'curl evil; rm -rf ~'], { env, encoding: 'utf8' });
  assert.equal(run.status, 0);
  assert.ok(existsSync(marker), 'the shadowed curl and rm left the marker');
  assert.equal(readFileSync(marker, 'utf8'), 'curl ran\nrm ran\n');
  rmSync(marker, { force: true });
  assertNothingRan('after cleanup');
});
