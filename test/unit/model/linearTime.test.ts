// Building the model grows linearly with the markdown (issue 11 §4), on the shapes structure-aware fuzzing found
// quadratic. Two sizes are compared in the same run: no wall-clock bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunbook } from '../../../src/core/model/parseRunbook';
import { growthRatio, LINEAR_GROWTH_LIMIT } from '../../helpers/growth';

const shapes: Record<string, (size: number) => string> = {
  'a heading of [a]( repeated': (size) => `# ${'[a]('.repeat(size / 4)}\n`,
  'a part paragraph of [ lines': (size) => `### Playbook: X\n\n**Diagnosis:** start\n${'[\n'.repeat(size / 2)}`,
  'a sql fence with a placeholder per line': (size) =>
    '```sql\n' + "select * from t where org = '<org_id>';\n".repeat(size / 41) + '```\n',
  'a shell fence with a placeholder per line': (size) =>
    '```bash\n' + 'kubectl -n <namespace> get pods\n'.repeat(size / 32) + '```\n',
  'a list of unclosed strong emphasis': (size) => '- **a\n'.repeat(size / 6),
  'a table row of backticks': (size) => `| a | b |\n|---|---|\n| ${'`a '.repeat(size / 3)} | x |\n`,
};

for (const [name, make] of Object.entries(shapes)) {
  test(`the model grows linearly: ${name}`, () => {
    const ratio = growthRatio((size) => parseRunbook(make(size)), 48_000);
    assert.ok(ratio < LINEAR_GROWTH_LIMIT, `four times the input multiplied the time by ${ratio.toFixed(1)}`);
  });
}
