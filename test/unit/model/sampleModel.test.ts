// Our sample runbook has the seed's structure and facts in its own words: the same sections, playbooks,
// code blocks and typed tables, with the same thresholds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunbook } from '../../../src/core/model/parseRunbook';
import { allSections } from '../../../src/core/model/sections';
import { checkRunbook } from '../../../src/core/check/checkRunbook';
import { readSample, readSeed, SEED_MISSING } from '../../helpers/seed';
import { assertGolden } from './goldenModel';

const sampleText = readSample();
const sample = parseRunbook(sampleText);

test('sample: metadata, sections and playbooks', () => {
  assert.equal(sample.metadata.title, 'Operations Runbook');
  assert.ok(sample.metadata.owner && sample.metadata.lastUpdated && sample.metadata.onCallEscalation);
  assert.deepEqual(
    sample.sections.map((s) => s.title),
    [
      'Table of Contents',
      'Deployment Procedures',
      'Monitoring & Alerting',
      'Incident Response Playbooks',
      'Rollback Procedures',
      'Health Checks',
      'Secrets Management',
      'Performance Baselines',
      'Emergency Contacts',
      'Appendix: Common Commands',
    ],
  );
  assert.deepEqual(
    sample.playbooks.map((p) => p.name),
    [
      'Database Connection Exhaustion',
      'Edge Function Failures',
      'Authentication Failures',
      'Content Generation Failures',
      'OAuth Integration Failures',
    ],
  );
  for (const p of sample.playbooks) assert.ok(p.symptoms && p.diagnosis && p.mitigation, p.name);
  assert.deepEqual(sample.diagnostics, []);
  assert.deepEqual(sample.typed.problems, []);
});

test('sample: sections, playbooks, snippets, tables and checklists match the reviewed golden file', (t) => {
  assertGolden(t, 'sample-runbook', sample);
});

test('sample: the same structure as the seed, block by block and table by table', (t) => {
  const seedText = readSeed();
  if (!seedText) return t.skip(SEED_MISSING);
  const seed = parseRunbook(seedText);
  assert.deepEqual(
    allSections(sample.sections).map((s) => [s.level, s.title]),
    allSections(seed.sections).map((s) => [s.level, s.title]),
  );
  assert.deepEqual(
    sample.snippets.map((s) => [s.language, s.category, s.sectionId]),
    seed.snippets.map((s) => [s.language, s.category, s.sectionId]),
  );
  assert.deepEqual(
    sample.tables.map((t2) => [t2.header, t2.rows.length]),
    seed.tables.map((t2) => [t2.header, t2.rows.length]),
  );
  // Facts, not words: every threshold, interval, target and rotation is the same.
  const facts = (m: typeof seed) =>
    JSON.stringify({
      metrics: m.typed.criticalMetrics?.rows.map((r) => [r.metric, r.warning.measure, r.critical.measure]),
      severities: m.typed.severities?.rows.map((r) => [r.level, r.responseTime.measure]),
      endpoints: m.typed.monitoringEndpoints?.rows.map((r) => [r.endpoint, r.expected.status, r.expected.json]),
      frequency: m.typed.healthCheckFrequency?.rows.map((r) => [
        r.check,
        r.interval.measure,
        r.timeout.measure,
        r.retries,
      ]),
      rollback: m.typed.rollbackDecisionMatrix?.rows.map((r) => [r.urgency, r.trigger?.threshold.measure]),
      secrets: m.typed.secretsInventory?.rows.map((r) => [r.name, r.rotation.measure]),
      api: m.typed.apiPerformanceTargets?.rows.map((r) => [r.endpoint, r.p50.measure, r.p95.measure, r.p99.measure]),
      db: m.typed.databaseQueryTargets?.rows.map((r) => [r.queryType, r.target.measure, r.alertThreshold.measure]),
      budgets: m.typed.frontendBudgets && {
        timings: m.typed.frontendBudgets.timings,
        sizes: m.typed.frontendBudgets.sizes,
      },
    });
  assert.equal(facts(sample), facts(seed));
  assert.deepEqual(sample.checklists.length, seed.checklists.length);
});

test("sample: the words are ours, not the seed's", (t) => {
  const seedText = readSeed();
  if (!seedText) return t.skip(SEED_MISSING);
  // List lines of prose, outside code blocks; links of a table of contents are names, not prose.
  const prose = (text: string) => {
    let inFence = false;
    const lines = new Set<string>();
    for (const raw of text.split('\n')) {
      if (/^\s*(```|~~~)/.test(raw)) {
        inFence = !inFence;
        continue;
      }
      const l = raw.trim();
      if (!inFence && /^([-*]|\d+\.) /.test(l) && !/^\d+\. \[[^\]]*\]\(#[^)]*\)$/.test(l)) lines.add(l);
    }
    return lines;
  };
  const seedProse = prose(seedText);
  const shared = [...prose(sampleText)].filter((l) => seedProse.has(l));
  assert.ok(shared.length <= 3, `list lines copied from the seed: ${shared.join(' | ')}`);
});

test('sample: check finds no structural error (only advice)', () => {
  const problems = checkRunbook(sample, sampleText).filter((p) => p.severity === 'error');
  assert.deepEqual(problems, []);
});
