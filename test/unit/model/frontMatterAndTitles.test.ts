// Titles from YAML and TOML front matter, and headings without their ids and inline HTML.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunbook } from '../../../src/core/model/parseRunbook';

test('YAML front matter between --- lines', () => {
  const m = parseRunbook('---\ntitle: "Disk full"\nowner: storage\n---\n\n# DiskFull\n');
  assert.deepEqual([m.metadata.title, m.metadata.titleLine, m.metadata.owner], ['Disk full', 1, 'storage']);
});

test('TOML front matter between --- lines, as support articles write it', () => {
  const m = parseRunbook('---\ntitle = "High CPU"\ntopics = [ "platform", "db" ]\n---\n\n## Symptoms\n');
  assert.equal(m.metadata.title, 'High CPU');
  assert.equal(m.metadata.fields.topics, 'platform, db');
});

test('TOML front matter between +++ lines', () => {
  const m = parseRunbook("+++\ntitle = 'Queue stuck'\ndate = 2025-01-02\n+++\n# Queue\n");
  assert.deepEqual([m.metadata.title, m.metadata.fields.date, m.lineCount], ['Queue stuck', '2025-01-02', 5]);
  assert.equal(m.sections[0].line, 4, 'line numbers are kept');
});

test('heading ids and inline HTML leave titles and step texts', () => {
  const m = parseRunbook(
    '# Runbook\n\n## Overview {#overview}\n\n## Disk<br>full {: .alert}\n\n1. Free<br/>space <sup>1</sup>\n',
  );
  assert.deepEqual(
    m.sections.map((s) => s.title),
    ['Overview', 'Disk full'],
  );
  const [step] = m.sections[1].items;
  assert.equal(step.kind === 'step' && step.text, 'Free space 1');
});
