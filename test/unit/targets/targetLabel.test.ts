// Projects as the user checks them: the ref in full, production said once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelWithRef, targetLabelWithRef, targetNameWithRef } from '../../../src/core/targets/targetLabel';

const REF = 'abcdefghijklmnopqrst';

test('the linked project and an unconfigured ref are named by their full ref', () => {
  assert.equal(
    targetLabelWithRef({ name: 'linked', ref: REF, kind: 'linked', production: true }),
    `linked project ${REF} (production)`,
  );
  assert.equal(targetNameWithRef({ name: 'linked', kind: 'linked' }), 'the linked project');
  assert.equal(
    targetLabelWithRef({ name: REF, ref: REF, kind: 'unknown-remote', production: true }),
    `project ${REF} (production)`,
  );
});

test('a configured project: its name, then production unless the name says it, then the ref', () => {
  assert.equal(targetLabelWithRef({ name: 'fixture', kind: 'active', production: false }), 'fixture');
  assert.equal(
    targetLabelWithRef({ name: 'prod-eu', ref: REF, kind: 'configured', production: true }),
    `prod-eu (ref ${REF})`,
  );
  assert.equal(labelWithRef('acme', REF, true), `acme (production, ref ${REF})`);
  assert.equal(labelWithRef('staging', REF, false), `staging (ref ${REF})`);
  assert.equal(labelWithRef('production', undefined, true), 'production');
});

test('a database by its host', () => {
  assert.equal(
    targetLabelWithRef({ name: 'db.example.com', kind: 'unknown-remote', production: true }),
    'database at db.example.com (production)',
  );
});
