// Placeholders in text that a second shell parses again (`bash -c "…"`, `ssh host "…"`, `eval`, a here-document
// fed to bash, …) and in option positions (`sort <file>`), run through the planner and then in a real /bin/bash:
// whatever the planner lets run without asking creates no file, whatever the value. Programs that cannot run here
// (ssh, sudo, docker, kubectl, su, watch, parallel) are small scripts that do what the real ones do with their
// command: hand it to a shell (`ssh host cmd…` runs "cmd…" with the remote user's shell, `watch` with `sh -c`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { planShellCommands } from '../../../src/core/shell/planShellCommands';
import type { PlanContext } from '../../../src/core/shell/commandTargetsPreview';
import { splitShellSnippet } from '../../../src/core/bash/splitShellSnippet';
import { PlaceholderSubstitutionError, substitutePlaceholders } from '../../../src/core/bash/substitutePlaceholders';
import { validatePlaceholderValue } from '../../../src/core/shell/placeholderValues';
import { placeholderUsesIn } from '../../../src/core/bash/placeholderUses';
import type { LinkedProject } from '../../../src/core/projects/linkedProject';
import { hostileValues } from '../shell/hostileValues';

const BASH = '/bin/bash';
const marker = `/tmp/pwned-${randomBytes(8).toString('hex')}`;
let sandbox = '';
let env: NodeJS.ProcessEnv = {};

// What each stand-in does with its command, as the real program does.
const STAND_INS: Record<string, string> = {
  // ssh [options] host [command…]: the words are joined with spaces and run by the remote shell; none: stdin.
  ssh: `while [ "\${1#-}" != "$1" ]; do case "$1" in -[bcDEeFIiJLlmOoPpQRSWw]) shift;; esac; shift; done; shift
if [ $# -gt 0 ]; then exec /bin/bash -c "$*"; else exec /bin/bash; fi`,
  // sudo [options] command…: runs the command; -s or -i hand it to a shell.
  sudo: `shell=; while [ "\${1#-}" != "$1" ]; do case "$1" in -u|-g|-C|-D|-h|-p|-r|-t|-U|-T) shift;; -s|-i) shell=1;; --) shift; break;; esac; shift; done
if [ -n "$shell" ]; then if [ $# -gt 0 ]; then exec /bin/bash -c "$*"; else exec /bin/bash; fi; fi
exec "$@"`,
  // su [-] [user] [-c command]: runs the command with the user's shell.
  su: `cmd=; while [ $# -gt 0 ]; do case "$1" in -c) cmd="$2"; shift;; esac; shift; done
if [ -n "$cmd" ]; then exec /bin/bash -c "$cmd"; else exec /bin/bash; fi`,
  // docker exec [options] container command…: runs the command as is (no shell).
  docker: `shift; while [ "\${1#-}" != "$1" ]; do case "$1" in -e|-u|-w|--env|--user|--workdir) shift;; esac; shift; done; shift; exec "$@"`,
  // kubectl exec [options] pod -- command…
  kubectl: `while [ "$1" != "--" ]; do shift; done; shift; exec "$@"`,
  // watch [options] command…: "command…" joined and run by sh -c (once here).
  watch: `while [ "\${1#-}" != "$1" ]; do case "$1" in -n|-d) shift;; esac; shift; done; exec /bin/sh -c "$*"`,
  // parallel command ::: args…: the command with each argument appended, run by a shell.
  parallel: `cmd=; while [ $# -gt 0 ] && [ "$1" != ":::" ]; do cmd="$cmd $1"; shift; done; shift
for a in "$@"; do /bin/bash -c "$cmd $a"; done`,
};

before(() => {
  sandbox = mkdtempSync(join(tmpdir(), 'runbook-second-shell-'));
  const bin = join(sandbox, 'bin');
  const home = join(sandbox, 'home');
  mkdirSync(bin);
  mkdirSync(home);
  for (const [name, body] of Object.entries(STAND_INS)) {
    writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  }
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

const LOCAL: LinkedProject = {
  name: 'local',
  apiUrl: 'http://127.0.0.1:54321',
  production: false,
  isLocal: true,
  source: 'local stack',
};
const context: PlanContext = {
  project: LOCAL,
  projects: [LOCAL],
  supabase: { workspaceBin: '/work/app/node_modules/.bin/supabase', onPath: false },
  cliMajorVersion: 3,
};

// Code for a second shell or interpreter: `<x>` is where the value goes.
const NESTED: string[] = [
  'bash -c "echo checking <x>"',
  "sh -c 'echo checking <x>'",
  'bash -lc "echo checking <x>"',
  'bash -o pipefail -c "echo checking <x>"',
  'dash -c "echo checking <x>"',
  'bash <<EOF\necho checking <x>\nEOF',
  "bash <<'EOF'\necho checking <x>\nEOF",
  'cat <<EOF | bash\necho checking <x>\nEOF',
  'cat <<EOF | tr a a | sh\necho checking <x>\nEOF',
  'echo "echo checking <x>" | sh',
  'printf \'%s\\n\' "echo checking <x>" | bash -s',
  'bash <<< "echo checking <x>"',
  'eval "echo checking <x>"',
  'eval echo checking <x>',
  'ssh db-host "echo checking <x>"',
  'ssh -p 22 db-host echo checking <x>',
  'ssh db-host <<EOF\necho checking <x>\nEOF',
  'su postgres -c "echo checking <x>"',
  'sudo sh -c "echo checking <x>"',
  "sudo -u postgres bash -c 'echo checking <x>'",
  'sudo -s "echo checking <x>"',
  "echo a | xargs sh -c 'echo checking <x>'",
  "echo a | xargs -I{} sh -c 'echo checking <x> {}'",
  'docker exec -i db sh -c "echo checking <x>"',
  'kubectl exec -i db -- sh -c "echo checking <x>"',
  'watch -n 5 "echo checking <x>"',
  'env FOO=1 sh -c "echo checking <x>"',
  'nohup sh -c "echo checking <x>"',
  'timeout 10 bash -c "echo checking <x>"',
  "find / -maxdepth 0 -exec sh -c 'echo checking <x>' \\;",
  "parallel 'echo checking <x>' ::: a",
  'trap "echo checking <x>" EXIT',
  'echo "$(bash -c "echo checking <x>")"',
  'bash -c "$(echo echo checking <x>)"',
  'script -qc "echo checking <x>" /dev/null',
  'python3 -c "print(\'checking <x>\')"',
  'perl -e "print \'checking <x>\'"',
  'node -e "console.log(\'checking <x>\')"',
  'awk \'BEGIN { system("echo checking <x>") }\'',
];

// The value as data: quoting for the terminal's shell is enough, and every value is accepted.
const PLAIN: string[] = [
  "printf '%s\\n' <x>",
  'bash -c \'printf "%s\\n" "$1"\' _ <x>',
  'cat <<EOF\n<x>\nEOF',
  "docker exec db printf '%s\\n' <x>",
  "ssh-keygen -l -f /dev/null -C <x> 2>/dev/null; printf '%s\\n' <x>",
];

// Values that try to run something in the second shell or interpreter, and values taken as options.
const VALUES = [
  ...hostileValues(marker),
  `') or __import__('os').system('touch ${marker}') or ('`,
  `'; system("touch ${marker}"); '`,
  `'); require('child_process').execSync('touch ${marker}'); ('`,
  `-o${marker}`,
  `--output=${marker}`,
];

function run(command: string): ReturnType<typeof spawnSync> {
  return spawnSync(BASH, ['--norc', '--noprofile', '-c', command], {
    env,
    cwd: sandbox,
    encoding: 'utf8',
    timeout: 10_000,
    input: '',
  });
}

function assertNothingRan(what: string): void {
  assert.ok(!existsSync(marker), `${what}: a value ran as a command (${marker} exists)`);
}

test('the stand-ins really hand their command to a shell: a value left unchecked would have run', () => {
  for (const template of NESTED.filter((t) => !/python3|perl|node|awk/.test(t))) {
    const command = template.replace(/<x>/g, `$(touch ${marker})`);
    run(command);
    assert.ok(existsSync(marker), `${template} did not run the value: the harness would prove nothing`);
    rmSync(marker, { force: true });
  }
});

test('second shells: a value that is not inert is refused before anything runs; what is allowed runs nothing', () => {
  let refused = 0;
  let ran = 0;
  for (const template of NESTED) {
    for (const value of VALUES) {
      const label = `${JSON.stringify(template)} with ${JSON.stringify(value).slice(0, 60)}`;
      const plan = planShellCommands(splitShellSnippet(template, 0).commands, { x: value }, context);
      const validation = validatePlaceholderValue('x', value, { uses: placeholderUsesIn('x', [template]) });
      if (plan.problems.length > 0) {
        refused++;
        assert.match(plan.problems.join(' '), /letters, digits/, label);
        // The input box says so first, before anything is planned.
        assert.equal(validation.ok, false, `${label}: the input box accepted what the plan refused`);
        continue;
      }
      assert.match(value, /^[A-Za-z0-9._:/@+-]+$/, `${label}: a value that is not inert was let through`);
      const [planned] = plan.commands;
      if (planned.risky) continue; // asked first: the reason is checked below
      const result = run(planned.text);
      ran++;
      assert.ok(!result.error, `${label}: ${result.error}`);
      assertNothingRan(label);
    }
  }
  assert.ok(refused > NESTED.length * 30, `refused ${refused}`);
  assert.ok(ran > NESTED.length / 2, `ran ${ran}`);
  // Inert values are accepted everywhere: ticket ids, hosts, paths, versions.
  for (const template of NESTED)
    for (const value of ['INC-2041', 'db-1.internal:5432', 'user@example.com', '/var/log/app', 'v1.2.3+build']) {
      const plan = planShellCommands(splitShellSnippet(template, 0).commands, { x: value }, context);
      assert.deepEqual(plan.problems, [], `${template} with ${value}`);
      assert.ok(validatePlaceholderValue('x', value, { uses: placeholderUsesIn('x', [template]) }).ok);
    }
});

test('plain contexts keep accepting every value, and print it exactly', () => {
  for (const template of PLAIN) {
    for (const value of hostileValues(marker)) {
      if (/[\r\n]/.test(value) && template.includes('<<')) continue; // here-docs refuse line breaks, as before
      const label = `${JSON.stringify(template)} with ${JSON.stringify(value).slice(0, 60)}`;
      const command = substitutePlaceholders(template, { x: value });
      const result = run(command);
      assert.equal(result.status, 0, `${label}: ${result.stderr}`);
      assert.ok(String(result.stdout).includes(value), label);
      assertNothingRan(label);
    }
  }
});

test('a secret cannot go where a second shell parses it: its value would be read as code', () => {
  assert.throws(
    () => substitutePlaceholders('bash -c "echo <new_key>"', {}, { new_key: 'RUNBOOK_SECRET_NEW_KEY' }),
    (error: unknown) =>
      error instanceof PlaceholderSubstitutionError &&
      /second shell|as code/.test(error.message) &&
      /\$1/.test(error.message),
  );
  // As data of the same second shell it is fine: bash puts the variable's value in as one argument.
  const command = substitutePlaceholders(
    'bash -c \'printf "%s\\n" "$1"\' _ <new_key>',
    {},
    { new_key: 'RUNBOOK_SECRET_NEW_KEY' },
  );
  const result = spawnSync(BASH, ['--norc', '--noprofile', '-c', command], {
    env: { ...env, RUNBOOK_SECRET_NEW_KEY: `$(touch ${marker})` },
    encoding: 'utf8',
  });
  assert.equal(result.stdout, `$(touch ${marker})\n`);
  assertNothingRan('secret as data');
  // The input box refuses it at once, whatever is typed.
  const uses = placeholderUsesIn('new_key', ['ssh host "rotate <new_key>"']);
  const verdict = validatePlaceholderValue('new_key', 'abc', { uses });
  assert.equal(verdict.ok, false);
});

test('a value starting with "-" where the command reads options asks first, naming the option risk', () => {
  const git = join(sandbox, 'repo');
  mkdirSync(git);
  spawnSync('git', ['init', '-q', git], { env });
  spawnSync(
    'git',
    ['-C', git, '-c', 'user.name=a', '-c', 'user.email=a@b', 'commit', '-q', '--allow-empty', '-m', 'x'],
    {
      env,
    },
  );
  const templates = [
    'sort <x>',
    'sort -u "<x>"',
    `git -C ${git} log <x>`,
    `git -C ${git} log '<x>'`,
    'sudo sort <x>',
    'bash -c "sort <x>"',
  ];
  for (const template of templates) {
    for (const value of [`-o${marker}`, `--output=${marker}`]) {
      const label = `${template} with ${value}`;
      const plan = planShellCommands(splitShellSnippet(template, 0).commands, { x: value }, context);
      // Where a second shell reads it, "=" is not inert: refused outright, which is safe too.
      if (plan.problems.length > 0 && template.startsWith('bash -c') && value.includes('=')) continue;
      assert.deepEqual(plan.problems, [], label);
      const [planned] = plan.commands;
      assert.equal(planned.risky, true, `${label}: ran without asking`);
      assert.match(planned.reasons.join(' '), /starts with "-".*option/, label);
      // The input box warns as it is typed, before the question.
      const validation = validatePlaceholderValue('x', value, { uses: placeholderUsesIn('x', [template]) });
      assert.ok(validation.ok && /option/.test(validation.warning ?? ''), `${label}: ${JSON.stringify(validation)}`);
    }
    // An ordinary value asks nothing more than the command itself would.
    const plain = planShellCommands(splitShellSnippet(template, 0).commands, { x: 'notes.txt' }, context);
    assert.ok(!plain.commands[0].reasons.some((r) => /option/.test(r)), template);
  }
  // A secret is never seen by the run (it travels in the environment), so the input box refuses it there.
  const secret = validatePlaceholderValue('db_password', '-oX', {
    uses: placeholderUsesIn('db_password', ['sort <db_password>']),
  });
  assert.ok(!secret.ok && /option/.test(secret.message), JSON.stringify(secret));
  // Proof that the question is needed: run anyway, sort writes the file.
  run(`sort -o${marker} /dev/null`);
  assert.ok(existsSync(marker));
  rmSync(marker, { force: true });
});

test('after "--" the value is an operand: no question, and nothing is written', () => {
  for (const template of ['cat -- <x>', 'grep -e x -- <x>', 'ls -d -- <x>']) {
    const plan = planShellCommands(splitShellSnippet(template, 0).commands, { x: `-o${marker}` }, context);
    const [planned] = plan.commands;
    assert.ok(!planned.reasons.some((r) => /option/.test(r)), `${template}: ${planned.reasons.join(' ')}`);
    run(planned.text);
    assertNothingRan(template);
  }
});

test('variables that hold a command for a shell are second shells too', () => {
  for (const template of [
    'GIT_SSH_COMMAND="ssh -i <x>" git fetch',
    'export PS1="<x> $ "',
    'env GIT_SSH_COMMAND="ssh -i <x>" git pull',
    'git -c core.sshCommand="ssh -i <x>" fetch',
    'git rebase --exec "make test <x>" main',
  ]) {
    assert.throws(
      () => substitutePlaceholders(template, { x: `$(touch ${marker})` }),
      PlaceholderSubstitutionError,
      template,
    );
    assert.doesNotThrow(() => substitutePlaceholders(template, { x: 'id_ed25519' }), template);
  }
});

test('harness check: the marker is noticed', () => {
  writeFileSync(marker, 'x');
  assert.throws(() => assertNothingRan('check'));
  rmSync(marker, { force: true });
  assert.equal(existsSync(marker), false);
});
