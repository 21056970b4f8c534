// Checklists in every form a runbook writes them, and list items as steps or bullets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunbook } from '../../../src/core/model/parseRunbook';
import type { ContentNode } from '../../../src/core/model/types';

function describe(node: ContentNode): unknown {
  switch (node.kind) {
    case 'checklist':
      return node.children
        ? [`${node.item.checked ? 'x' : ' '} ${node.item.text}@${node.item.line}`, node.children.map(describe)]
        : `${node.item.checked ? 'x' : ' '} ${node.item.text}@${node.item.line}`;
    case 'step':
    case 'bullet': {
      const text = `${node.kind}:${node.ordinal ?? ''}:${node.text}@${node.line}`;
      return node.children ? [text, node.children.map(describe)] : text;
    }
    case 'snippet':
      return 'snippet';
    case 'table':
      return 'table';
  }
}

test('plain □ lines and - □ list items are checklist items, with their lines', () => {
  const m = parseRunbook(
    [
      '## Before release',
      '□ Tests pass',
      '☑ Staging migrated',
      '',
      '- □ Rollback plan written',
      '- ✅ On-call told',
    ].join('\n'),
  );
  assert.deepEqual(
    m.checklists.map((c) => [c.text, c.checked, c.line]),
    [
      ['Tests pass', false, 1],
      ['Staging migrated', true, 2],
      ['Rollback plan written', false, 4],
      ['On-call told', true, 5],
    ],
  );
  assert.deepEqual(m.sections[0].items.map(describe), [
    '  Tests pass@1',
    'x Staging migrated@2',
    '  Rollback plan written@4',
    'x On-call told@5',
  ]);
});

test('task items in nested lists and in blockquotes are checklist items too', () => {
  const m = parseRunbook(
    [
      '## Release',
      '- [ ] Build',
      '  - [x] Lint',
      '  - [ ] Tests',
      '1. Deploy',
      '   - [ ] Smoke test',
      '',
      '> **Before you start**',
      '> - [ ] Tell #incidents',
      '> - [X] Open the timeline',
      '',
      '> □ Quoted box line',
    ].join('\n'),
  );
  assert.deepEqual(
    m.checklists.map((c) => [c.text, c.checked, c.line]),
    [
      ['Build', false, 1],
      ['Lint', true, 2],
      ['Tests', false, 3],
      ['Smoke test', false, 5],
      ['Tell #incidents', false, 8],
      ['Open the timeline', true, 9],
      ['Quoted box line', false, 11],
    ],
  );
  assert.deepEqual(m.sections[0].items.map(describe), [
    ['  Build@1', ['x Lint@2', '  Tests@3']],
    ['step:1:Deploy@4', ['  Smoke test@5']],
    '  Tell #incidents@8',
    'x Open the timeline@9',
    '  Quoted box line@11',
  ]);
});

test('unordered items under Mitigation are steps; under Symptoms they are bullets', () => {
  const m = parseRunbook(
    [
      '## Playbook: Slow API',
      '**Symptoms:**',
      '- p95 above 2 s',
      '',
      '**Mitigation:**',
      '- Scale the pooler',
      '- Restart the API',
    ].join('\n'),
  );
  const pb = m.playbooks[0];
  assert.deepEqual(pb.symptoms!.items.map(describe), ['bullet::p95 above 2 s@2']);
  assert.deepEqual(pb.mitigation!.items.map(describe), ['step::Scale the pooler@5', 'step::Restart the API@6']);
});

test('a list under a plain section is kept as bullets, with nested items as children; navigation links are not', () => {
  const m = parseRunbook(
    [
      '## Contents',
      '1. [Deploy](#deploy)',
      '   - [Rollback](#rollback)',
      '## Escalation',
      '- Page the on-call engineer',
      '  - PagerDuty: ops-critical',
      '- Post in #incidents',
      '1. Prepare green',
      '   - Deploy to green',
      '   - Run health checks',
    ].join('\n'),
  );
  assert.deepEqual(m.sections[0].items, []);
  assert.deepEqual(m.sections[1].items.map(describe), [
    ['bullet::Page the on-call engineer@4', ['bullet::PagerDuty: ops-critical@5']],
    'bullet::Post in #incidents@6',
    ['step:1:Prepare green@7', ['step::Deploy to green@8', 'step::Run health checks@9']],
  ]);
});

test('a list item ends at its last written line, not at the blank line after it', () => {
  const m = parseRunbook('## A\n\n1. One\n   more\n\n2. Two\n\n');
  assert.deepEqual(
    m.sections[0].items.map((i) => (i.kind === 'step' ? [i.line, i.endLine] : null)),
    [
      [2, 3],
      [5, 5],
    ],
  );
});
