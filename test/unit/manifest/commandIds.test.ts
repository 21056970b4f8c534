// One source of truth for command ids: src/vscode/commands/commandIds.ts. package.json's commands, menus and
// keybindings name exactly its commands, the code registers each of them, and nothing in src spells an id out by
// hand, so a renamed or new command cannot leave a menu, a lens or a call behind. (Inside VS Code,
// test/vscode/suite/foundations.test.ts sees every contributed command registered after activation.)
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from '../../helpers/seed';
import { COMMANDS } from '../../../src/vscode/commands/commandIds';

const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8'));
const ids: string[] = Object.values(COMMANDS);
const SRC = join(PROJECT_ROOT, 'src');
const LIST = join(SRC, 'vscode', 'commands', 'commandIds.ts');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

test('each command is named runbook.<its key in the list>', () => {
  for (const [key, id] of Object.entries(COMMANDS)) assert.equal(id, `runbook.${key}`);
});

test("package.json contributes exactly the list's commands", () => {
  const contributed: string[] = manifest.contributes.commands.map((c: { command: string }) => c.command);
  assert.equal(new Set(contributed).size, contributed.length, 'a command is contributed twice');
  assert.deepEqual([...contributed].sort(), [...ids].sort());
});

test('every menu item and keybinding names a command of the list', () => {
  const unknown: string[] = [];
  for (const [menu, items] of Object.entries<Array<{ command: string }>>(manifest.contributes.menus))
    for (const item of items) if (!ids.includes(item.command)) unknown.push(`${menu}: ${item.command}`);
  for (const binding of manifest.contributes.keybindings as Array<{ command: string }>)
    if (!ids.includes(binding.command)) unknown.push(`keybinding: ${binding.command}`);
  assert.deepEqual(unknown, []);
});

test('the code registers every command of the list, through the list', () => {
  const registered = new Set<string>();
  for (const file of sourceFiles(SRC))
    for (const [, key] of readFileSync(file, 'utf8').matchAll(/registerCommand\(\s*COMMANDS\.(\w+)/g))
      registered.add(key);
  assert.deepEqual([...registered].sort(), Object.keys(COMMANDS).sort());
});

test('no file of src spells a command id out: they all use the list', () => {
  const spelled: string[] = [];
  const pattern = new RegExp(`['"\`](${ids.map((id) => id.replace('.', '\\.')).join('|')})['"\`]`, 'g');
  for (const file of sourceFiles(SRC)) {
    if (file === LIST) continue;
    for (const [, id] of readFileSync(file, 'utf8').matchAll(pattern)) spelled.push(`${relative(SRC, file)}: ${id}`);
  }
  assert.deepEqual(spelled, []);
});
