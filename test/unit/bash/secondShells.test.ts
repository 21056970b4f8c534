// Which text of a command a second shell (or interpreter) parses again, found from the command's syntax, and where a
// placeholder starts a word that its command may read as an option.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { placeholderUses, optionRisks } from '../../../src/core/bash/placeholderUses';

const useOf = (command: string) => {
  const uses = placeholderUses(command);
  assert.equal(uses.length > 0, true, command);
  return uses[0];
};

test('arguments, here-documents and pipes that a program hands to a shell are found, with why', () => {
  const cases: Array<[string, RegExp]> = [
    ['bash -c "echo <x>"', /bash -c runs its argument/],
    ['bash -xec "echo <x>"', /bash -c/],
    ['busybox sh -c "echo <x>"', /busybox sh -c/],
    ['sudo -iu postgres "psql <x>"', /sudo -s runs its arguments in a shell/],
    ['sudo -s <<EOF\necho <x>\nEOF', /here-document is the script sudo -s reads/],
    ['ssh -i key.pem -o StrictHostKeyChecking=no ops@db "df <x>"', /ssh runs its command in the remote shell/],
    ['ssh ops@db <<EOF\ndf <x>\nEOF', /here-document is the script ssh reads/],
    ['printf "%s" "<x>" | ssh ops@db', /piped into ssh/],
    ['cat <<EOF | docker exec -i db sh\necho <x>\nEOF', /docker … sh/],
    ['bash <(echo "echo <x>")', /script that this substitution prints/],
    ['su - postgres --command="vacuumdb <x>"', /su --command/],
    ['runuser -u app -- sh -c "echo <x>"', /sh -c/],
    ['sg docker "docker ps <x>"', /sg runs its command/],
    ['tmux new-session -d -s work "tail -f <x>"', /tmux runs it as a shell command/],
    ['git -c alias.x="!echo <x>" x', /git runs the value of alias.x/],
    ['git rebase -x "npm test <x>" main', /git -x/],
    ['env -S "echo <x>"', /env -S/],
    ['npm exec -c "echo <x>"', /npm -c/],
    ['flock /tmp/lock -c "echo <x>"', /flock -c/],
    ['flock /tmp/lock sh -c "echo <x>"', /sh -c/],
    ['chroot /srv/jail sh -c "echo <x>"', /sh -c/],
    ['time nice -n 5 ionice -c 3 sh -c "echo <x>"', /sh -c/],
    ['watch -x sh -c "echo <x>"', /sh -c/],
    ['perl -E "say q(<x>)"', /Perl code/],
    ['node --eval "console.log(\'<x>\')"', /JavaScript code/],
    ['gawk -F, \'{ print "<x>" }\' f.csv', /gawk runs its program/],
    ['export PROMPT_COMMAND="echo <x>"', /PROMPT_COMMAND holds a command/],
    ['echo $(echo $(echo $(echo $(echo $(echo "<x>")))))', /nested too deeply/],
  ];
  for (const [command, reason] of cases) {
    const use = useOf(command);
    assert.match(use.secondShell ?? '(none)', reason, command);
  }
});

test('data stays data: scripts, positional parameters, here-documents read by other programs, ordinary commands', () => {
  for (const command of [
    'echo <x>',
    'bash deploy.sh <x>',
    'bash -c \'echo "$1"\' _ <x>',
    'sh -c "echo \\$1" sh <x>',
    'cat <<EOF\n<x>\nEOF',
    'psql -c "select 1" <x>',
    'docker exec db psql -U postgres <x>',
    'kubectl logs <x>',
    'ssh-keygen -C <x>',
    'python3 deploy.py <x>',
    'node scripts/x.js --name <x>',
    'git log --author=<x>',
    'supabase functions deploy <x>',
    'grep -r <x> logs/ | sort',
    'trap - <x>',
  ]) {
    const use = useOf(command);
    assert.equal(use.secondShell, undefined, `${command}: ${use.secondShell}`);
  }
});

test('option positions: a word that starts with the placeholder, after the command name and before "--"', () => {
  const optionOf = (command: string) => useOf(command).optionOf;
  assert.equal(optionOf('sort <x>'), 'sort');
  assert.equal(optionOf("sort '<x>'"), 'sort');
  assert.equal(optionOf('sort "<x>.txt"'), 'sort');
  assert.equal(optionOf('sudo -u app sort <x>'), 'sort');
  assert.equal(optionOf('echo $(git log <x>)'), 'git');
  assert.equal(optionOf('kubectl exec pod -- sort <x>'), 'kubectl');
  assert.equal(optionOf('sort -- <x>'), undefined);
  assert.equal(optionOf('rm -f -- <x>'), undefined);
  assert.equal(optionOf('<x> --version'), undefined);
  assert.equal(optionOf('git log --author=<x>'), undefined);
  assert.equal(optionOf('sort pre-<x>'), undefined);
  assert.equal(optionOf('echo > <x>'), undefined);
  assert.equal(optionOf('FOO=<x> make'), undefined);
  assert.deepEqual(optionRisks('sort <x>', { x: 'notes.txt' }), []);
  assert.match(
    optionRisks('sort <x>', { x: '-o/tmp/f' })[0],
    /<x> is "-o\/tmp\/f", which starts with "-": sort may read it/,
  );
});
