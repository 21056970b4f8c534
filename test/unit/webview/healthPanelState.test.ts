// What the health panel's page keeps across a window reload: a snapshot as the extension sent it is read back
// whole; another version's shape or damaged data is dropped, so the restored panel starts empty rather than broken.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readHealthState, type HealthState } from '../../../src/shared/health/protocol';
import { ProjectHealth } from '../../../src/core/health/projectHealth';
import { planChecks } from '../../../src/core/health/checkPlan';
import { parseRunbook } from '../../../src/core/model/parseRunbook';
import { readSample } from '../../helpers/seed';

function snapshotState(): HealthState {
  const runbook = parseRunbook(readSample());
  const health = new ProjectHealth(
    { project: 'local', label: 'local', production: false },
    runbook,
    'the sample runbook',
    planChecks(runbook, { database: true, managementApi: false }),
  );
  const verdict = {
    state: 'critical' as const,
    passed: false,
    summary: '503',
    rules: [],
    details: [],
    topic: 'functions' as const,
  };
  health.record('endpoint:/functions/v1/health', {
    verdict,
    attempts: [{ t: 1000, latencyMs: 12, passed: false, failedRequest: true }],
    finishedAt: 1000,
  });
  return { version: 1, snapshot: { projects: [health.view(2000)], watching: true, paused: false, takenAt: 2000 } };
}

test('a snapshot the extension sent is read back as it was, through JSON as VS Code stores it', () => {
  const state = snapshotState();
  const restored = readHealthState(JSON.parse(JSON.stringify(state)));
  assert.deepEqual(restored, JSON.parse(JSON.stringify(state)));
  assert.equal(
    restored?.snapshot.projects[0].checks.find((c) => c.id === 'endpoint:/functions/v1/health')?.state,
    'critical',
  );
});

test('another shape is dropped', () => {
  for (const value of [
    undefined,
    null,
    'text',
    { version: 2, snapshot: snapshotState().snapshot },
    { version: 1 },
    { version: 1, snapshot: { projects: 'none', takenAt: 1 } },
    { version: 1, snapshot: { projects: [{ project: 'x' }], takenAt: 1 } },
  ])
    assert.equal(readHealthState(value), undefined, JSON.stringify(value));
});
