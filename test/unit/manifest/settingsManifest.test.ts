// package.json declares the settings for VS Code's settings editor and JSON validation; the zod schema in
// src/core/settings reads them. Both are written by hand, so this test holds them to one meaning: every setting on
// both sides, and for each the same type, default, bounds, enum, pattern, format, required keys, items and
// properties (nested ones too), compared with zod's own JSON Schema of the schema. A keyword this test does not
// know fails it rather than being skipped, so a new kind of constraint cannot slip past.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as z from '../../../src/core/schema/zod';
import { PROJECT_ROOT } from '../../helpers/seed';
import { RUNBOOK_SETTING_KEYS, runbookSettingsDeclaration } from '../../../src/core/settings/runbookSettings';

type JsonSchema = Record<string, unknown> & {
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
};

const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8'));
const declared: Record<string, JsonSchema> = manifest.contributes.configuration.properties;
const schema = z.toJSONSchema(runbookSettingsDeclaration(), { io: 'input' }) as JsonSchema;

/** Keywords that constrain or default a value: equal on both sides, or absent from both. */
const COMPARED = [
  'type',
  'default',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'enum',
  'pattern',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'format',
  'required',
];
const STRUCTURE = ['items', 'properties'];
/** What only the settings editor reads. */
const PRESENTATION = [
  'description',
  'markdownDescription',
  'scope',
  'order',
  'enumDescriptions',
  'markdownEnumDescriptions',
  'deprecationMessage',
  'markdownDeprecationMessage',
  'editPresentation',
  'tags',
];

/** The settings as package.json names them: nested objects of the schema (runbook.sql) become dotted leaves. */
function leavesOf(node: JsonSchema, prefix: string, out = new Map<string, JsonSchema>()): Map<string, JsonSchema> {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const name = `${prefix}.${key}`;
    if (child.type === 'object' && !(name in declared)) leavesOf(child, name, out);
    else out.set(name, child);
  }
  return out;
}

function compare(path: string, inPackage: JsonSchema, inSchema: JsonSchema): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(inPackage))
    if (![...COMPARED, ...STRUCTURE, ...PRESENTATION].includes(key))
      problems.push(`${path}: package.json uses "${key}", which this test does not compare`);
  for (const key of Object.keys(inSchema))
    if (![...COMPARED, ...STRUCTURE].includes(key))
      problems.push(`${path}: the zod schema says "${key}", which this test does not compare`);
  for (const key of COMPARED) {
    const [a, b] = [inPackage[key], inSchema[key]];
    if (JSON.stringify(sorted(key, a)) !== JSON.stringify(sorted(key, b)))
      problems.push(`${path}: ${key} is ${JSON.stringify(a)} in package.json, ${JSON.stringify(b)} in the zod schema`);
  }
  if (inPackage.items || inSchema.items) {
    if (!inPackage.items || !inSchema.items) problems.push(`${path}: items declared on one side only`);
    else problems.push(...compare(`${path}[]`, inPackage.items, inSchema.items));
  }
  if (inPackage.properties || inSchema.properties) {
    const names = new Set([...Object.keys(inPackage.properties ?? {}), ...Object.keys(inSchema.properties ?? {})]);
    for (const name of names) {
      const [a, b] = [inPackage.properties?.[name], inSchema.properties?.[name]];
      if (!a || !b) problems.push(`${path}.${name}: declared ${a ? 'in package.json only' : 'in the zod schema only'}`);
      else problems.push(...compare(`${path}.${name}`, a, b));
    }
  }
  return problems;
}

/** `required` is a set: its order means nothing. */
function sorted(key: string, value: unknown): unknown {
  return key === 'required' && Array.isArray(value) ? [...value].sort() : value;
}

test('package.json declares exactly the settings the zod schema reads', () => {
  const fromSchema = [...leavesOf(schema, 'runbook').keys()].sort();
  assert.deepEqual(Object.keys(declared).sort(), fromSchema);
  assert.deepEqual(
    [...new Set(fromSchema.map((name) => name.split('.')[1]))].sort(),
    [...RUNBOOK_SETTING_KEYS].sort(),
    'the keys the extension reads are those of the schema',
  );
});

test('each setting has the same type, default, bounds, enum, pattern and structure on both sides', () => {
  const problems: string[] = [];
  for (const [name, inSchema] of leavesOf(schema, 'runbook')) {
    const inPackage = declared[name];
    if (inPackage) problems.push(...compare(name, inPackage, inSchema));
  }
  assert.deepEqual(problems, []);
});

test('a nested settings object defaults to the defaults of its settings', () => {
  for (const [key, node] of Object.entries(schema.properties ?? {})) {
    if (node.type !== 'object' || `runbook.${key}` in declared) continue;
    const leaves = Object.fromEntries(Object.entries(node.properties ?? {}).map(([k, v]) => [k, v.default]));
    assert.deepEqual(node.default, leaves, `runbook.${key}`);
  }
});

test('every setting has a scope and a description for the settings editor', () => {
  for (const [name, setting] of Object.entries(declared)) {
    assert.ok(
      ['application', 'machine', 'machine-overridable', 'window', 'resource', 'language-overridable'].includes(
        setting.scope as string,
      ),
      `${name} has no valid scope`,
    );
    const text = setting.markdownDescription ?? setting.description;
    assert.ok(typeof text === 'string' && text.trim().length > 10, `${name} has no description`);
  }
});

test('the comparison catches a disagreement', () => {
  // The test above is only worth something if a drift fails it: change one default, one bound and one type.
  const refresh = declared['runbook.refreshDelayMs'];
  const inSchema = leavesOf(schema, 'runbook').get('runbook.refreshDelayMs')!;
  assert.deepEqual(compare('x', refresh, inSchema), []);
  assert.equal(compare('x', { ...refresh, default: 251 }, inSchema).length, 1);
  assert.equal(compare('x', { ...refresh, maximum: undefined }, inSchema).length, 1);
  assert.equal(compare('x', { ...refresh, type: 'number' }, inSchema).length, 1);
  assert.equal(compare('x', { ...refresh, exclusiveMaximum: 10 }, inSchema).length, 1);
});

test('src reads the runbook settings in one place: the RunbookConfig of src/vscode/settings.ts', () => {
  const readers: string[] = [];
  const visit = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) visit(full);
      else if (full.endsWith('.ts') && !full.endsWith(join('src', 'vscode', 'settings.ts'))) {
        const text = readFileSync(full, 'utf8');
        if (/getConfiguration\(\s*['"]runbook|affectsConfiguration\(\s*['"]runbook/.test(text)) readers.push(name);
      }
    }
  };
  visit(join(PROJECT_ROOT, 'src'));
  assert.deepEqual(readers, []);
});
