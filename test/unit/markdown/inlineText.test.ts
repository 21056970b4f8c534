// Plain text of inline markdown: the same text as the regular expressions it replaced, for any input, and in time
// linear in the input (those expressions took minutes on a heading of `[a](` repeated).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inlineToPlainText } from '../../../src/core/markdown/inlineText';
import { growthRatio, LINEAR_GROWTH_LIMIT } from '../../helpers/growth';

// The replaced implementation, kept as the oracle for inputs without HTML.
function regexPlainText(markdown: string): string {
  if (!/[*_`[!]|\s\s|^\s|\s$|[\t\n\r]/.test(markdown)) return markdown;
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])[*_]([^*_\s][^*_]*?)[*_](?=[^\w*]|$)/g, '$1$2')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

test('gives the same text as the regular expressions it replaced, on 20,000 generated inputs', () => {
  const next = random(7);
  const alphabet = ['*', '_', '`', '[', ']', '(', ')', '!', 'a', 'b', ' ', '\n', 'x1', '**', '__', '](', '\t'];
  for (let n = 0; n < 20_000; n++) {
    let text = '';
    const length = Math.floor(next() * 24);
    for (let k = 0; k < length; k++) text += alphabet[Math.floor(next() * alphabet.length)];
    assert.equal(inlineToPlainText(text), regexPlainText(text), JSON.stringify(text));
  }
});

test('removes links, emphasis and code ticks as a reader sees them', () => {
  assert.equal(
    inlineToPlainText('See [the dashboard](https://x/y) and ![graph](g.png)'),
    'See the dashboard and graph',
  );
  assert.equal(
    inlineToPlainText('**Symptoms:** the _pool_ is *full* of `idle` sessions'),
    'Symptoms: the pool is full of idle sessions',
  );
  assert.equal(inlineToPlainText('snake_case_name stays'), 'snake_case_name stays');
});

test('removes inline HTML of the HTML vocabulary, keeps angle-bracket names and code spans', () => {
  assert.equal(inlineToPlainText('Disk full<br>on the primary'), 'Disk full on the primary');
  assert.equal(inlineToPlainText('Latency<sup>1</sup> <span class="warn">high</span>'), 'Latency1 high');
  assert.equal(inlineToPlainText('Set <namespace> first'), 'Set <namespace> first');
  assert.equal(inlineToPlainText('Write `<br>` for a break'), 'Write <br> for a break');
  assert.equal(inlineToPlainText('Fish&nbsp;&amp;&nbsp;chips'), 'Fish & chips');
});

test('time grows linearly with the input on the shapes that were quadratic', () => {
  const shapes: Record<string, (size: number) => string> = {
    'links never closed': (size) => '[a]('.repeat(size / 4),
    'brackets never closed': (size) => '[\n'.repeat(size / 2),
    'strong never closed': (size) => '**a '.repeat(size / 4),
    'emphasis never closed': (size) => ' *a'.repeat(size / 3),
    'tags never closed': (size) => '<span '.repeat(size / 6),
  };
  for (const [name, make] of Object.entries(shapes)) {
    const ratio = growthRatio((size) => inlineToPlainText(make(size)), 16_000);
    assert.ok(ratio < LINEAR_GROWTH_LIMIT, `${name}: four times the input multiplied the time by ${ratio.toFixed(1)}`);
  }
});
