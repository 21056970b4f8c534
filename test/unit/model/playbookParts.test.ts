// Parts of a playbook written as bold labels, labels followed by text, or sub-headings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunbook } from '../../../src/core/model/parseRunbook';
import { checkRunbook } from '../../../src/core/check/checkRunbook';

const partCodes = (md: string) =>
  checkRunbook(parseRunbook(md), md)
    .filter((p) => p.code.startsWith('playbook-'))
    .map((p) => p.code);

test('#### sub-headings under a playbook are its parts, with their content and lines', () => {
  const md = [
    '### Playbook: Replication Lag', // 0
    '#### Symptoms',
    '- Reads are stale',
    '#### Diagnosis', // 3
    '```sql',
    'SELECT now() - pg_last_xact_replay_timestamp();',
    '```',
    '#### Mitigation', // 7
    '1. Fail over reads to the primary',
    '#### Notes', // 9
    'Background, as a part of its own.',
    '### Next', // 11
  ].join('\n');
  const m = parseRunbook(md);
  const pb = m.playbooks[0];
  assert.deepEqual([pb.symptoms?.line, pb.diagnosis?.line, pb.mitigation?.line], [1, 3, 7]);
  assert.deepEqual([pb.symptoms?.endLine, pb.diagnosis?.endLine, pb.mitigation?.endLine], [2, 6, 8]);
  assert.equal(pb.diagnosis!.items[0].kind, 'snippet');
  assert.equal(m.snippets[0].partLabel, 'Diagnosis');
  const section = m.sections[0];
  assert.deepEqual(
    section.parts.map((p) => [p.label, p.role, p.line, p.endLine]),
    [
      ['Symptoms', 'symptoms', 1, 2],
      ['Diagnosis', 'diagnosis', 3, 6],
      ['Mitigation', 'mitigation', 7, 8],
      ['Notes', 'background', 9, 10],
    ],
    'every sub-heading of a playbook is one of its parts, in document order',
  );
  assert.deepEqual(section.children, []);
  assert.deepEqual(partCodes(md), []);
});

test('a label followed by text on the same line opens the part and keeps the text, one label per line', () => {
  const md = [
    '## Playbook: Disk Full',
    '**Symptoms:** writes fail with ENOSPC',
    '**Diagnosis**: run the query below', // markdown joins it to the line above; a writer means a new part
    '```sql',
    'SELECT pg_database_size(current_database());',
    '```',
    '**Mitigation:** free space',
    '- Drop old partitions',
  ].join('\n');
  const m = parseRunbook(md);
  const pb = m.playbooks[0];
  assert.deepEqual(
    [pb.symptoms?.text, pb.diagnosis?.text, pb.mitigation?.text],
    ['writes fail with ENOSPC', 'run the query below', 'free space'],
  );
  assert.deepEqual([pb.symptoms?.line, pb.symptoms?.endLine, pb.diagnosis?.line, pb.mitigation?.line], [1, 1, 2, 6]);
  assert.deepEqual(
    pb.mitigation!.items.map((i) => i.kind),
    ['step'],
  );
  assert.deepEqual(partCodes(md), []);
});

test('a label on its own line with the text below it, and synonyms of the parts', () => {
  const md = [
    '## Playbook: Queue Stuck',
    '**Investigation:**',
    'Look at the worker logs.',
    '',
    '**Resolution:**',
    'Restart the worker.',
  ].join('\n');
  const pb = parseRunbook(md).playbooks[0];
  assert.deepEqual(
    [pb.diagnosis?.label, pb.diagnosis?.text, pb.mitigation?.label, pb.mitigation?.text],
    ['Investigation', 'Look at the worker logs.', 'Resolution', 'Restart the worker.'],
  );
  assert.deepEqual(partCodes(md), []);
});

test('bold words that are not a part label stay prose', () => {
  const m = parseRunbook(
    '## Deploy\n**Important:** never deploy on Fridays.\n\n**Note** this is emphasis.\n\n**Warning**\nDo not run this on production.\n',
  );
  assert.deepEqual(m.sections[0].parts, []);
  const labelled = parseRunbook('## Deploy\n\n**Prepare Green Environment**\n\n- Deploy to green\n');
  assert.deepEqual(
    labelled.sections[0].parts.map((p) => [p.label, p.items.length]),
    [['Prepare Green Environment', 1]],
    'a bold paragraph on its own still opens a part',
  );
});

test('a playbook that says what is wrong but not what to do is an error; a missing Diagnosis is not a problem', () => {
  const md = '## Playbook: Half\n**Symptoms:**\n- slow\n';
  const problems = checkRunbook(parseRunbook(md), md).map((p) => [p.code, p.severity]);
  assert.deepEqual(problems, [['playbook-missing-mitigation', 'error']]);
  assert.deepEqual(
    partCodes('## Playbook: Empty\n'),
    ['playbook-missing-mitigation'],
    'an empty playbook says nothing',
  );
});

test('any part that says what to do counts: Resolution, Workaround, Steps, Recovery', () => {
  for (const label of ['Resolution', 'Workaround', 'Steps', 'Recovery', 'What to do about it', 'Remediation'])
    assert.deepEqual(partCodes(`## Playbook: P\n**Symptoms:** slow\n\n#### ${label}\n1. Fix it\n`), [], label);
});

test('a playbook without labelled parts that tells its fix in prose, steps or commands is fine as written', () => {
  const md = '## Troubleshooting\n\n### Currency shown as XXX\n\nAsk support to set the country on the customer.\n';
  const model = parseRunbook(md);
  assert.deepEqual(
    model.playbooks.map((p) => [p.name, p.foundBy]),
    [['Currency shown as XXX', 'group']],
  );
  assert.deepEqual(partCodes(md), []);
});
