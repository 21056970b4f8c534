// Checking time grows linearly with the runbook (issue 11 §4): the Problems panel checks on every keystroke, so a
// check that rescans per command stalls the extension host on a large block. Two sizes are compared in the same run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunbook } from '../../../src/core/model/parseRunbook';
import { checkRunbook } from '../../../src/core/check/checkRunbook';
import { STANDARD_CHECKERS } from '../../../src/core/check/standardCheckers';
import { growthRatio, LINEAR_GROWTH_LIMIT } from '../../helpers/growth';

const shapes: Record<string, (size: number) => string> = {
  // Each command has a comment above it: finding it used to rescan every command and comment of the block.
  'bash fence of short commented commands': (size) => '```bash\n' + '# x\nls -l\n'.repeat(size / 10) + '```\n',
  'sql fence with a placeholder per line': (size) =>
    '```sql\n' + "select * from t where org = '<org_id>';\n".repeat(size / 41) + '```\n',
};

for (const [name, make] of Object.entries(shapes)) {
  test(`checking grows linearly: ${name}`, () => {
    const ratio = growthRatio((size) => {
      const text = make(size);
      return checkRunbook(parseRunbook(text), text, STANDARD_CHECKERS);
    }, 16_000);
    assert.ok(ratio < LINEAR_GROWTH_LIMIT, `four times the input multiplied the time by ${ratio.toFixed(1)}`);
  });
}
