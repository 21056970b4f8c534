// Random shell-like text never makes the shell core throw (other than its documented refusal) or hang. The
// bound only catches a runaway (a backtracking pattern, a loop that never advances); speed is npm run bench's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitShellSnippet } from '../../../src/core/bash/splitShellSnippet';
import { classifyShellRisk } from '../../../src/core/safety/shellRisk';
import { isLongRunning } from '../../../src/core/safety/longRunning';
import { targetProject } from '../../../src/core/supabase/targetProject';
import { resolveSupabaseInvocation } from '../../../src/core/supabase/supabaseInvocation';
import { rewriteProjectUrls } from '../../../src/core/supabase/rewriteProjectUrls';
import { maskSecrets } from '../../../src/core/secrets/maskSecrets';
import { PlaceholderSubstitutionError, substitutePlaceholders } from '../../../src/core/bash/substitutePlaceholders';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = [
  'supabase',
  ' functions',
  ' deploy',
  ' db push',
  ' --linked',
  ' --remote=abc',
  ' <name>',
  '<function_name>',
  "'",
  '"',
  '`',
  '$(',
  ')',
  '(',
  '${',
  '}',
  '$((',
  '))',
  '\\',
  '\n',
  '\\\n',
  ' && ',
  ' || ',
  ' | ',
  ';',
  ';;',
  '&',
  ' <<EOF\n',
  '\nEOF\n',
  " <<'X'\n",
  '\nX',
  '#',
  ' # c',
  '1. Step one',
  '- item',
  'curl -X POST https://trxmsoyjjoopnvzohmvi.supabase.co/x',
  'git push',
  'rm -rf',
  'if ',
  ' then ',
  ' fi',
  'case ',
  ' in ',
  ' esac',
  'do ',
  ' done',
  '{ ',
  ' }',
  '$ ',
  '> ',
  'PGPASSWORD=x',
  'eyJabcdef.eyJabcdef.sig',
  ' 2>&1',
  ' >',
  ' <',
  "$'",
  '\t',
  '\r\n',
  'é',
  '\u0000',
];

// A snippet takes well under a millisecond; 2000 ms is a hang, not a slow machine.
const HANG_BOUND_MS = 2000;

test('2000 random snippets: every shell function returns, and none hangs', () => {
  const random = rng(20260121);
  let slowest = 0;
  for (let run = 0; run < 2000; run++) {
    let text = '';
    const n = 1 + Math.floor(random() * 30);
    for (let i = 0; i < n; i++) text += FRAGMENTS[Math.floor(random() * FRAGMENTS.length)];
    const started = performance.now();
    for (const language of ['bash', 'console']) {
      const split = splitShellSnippet(text, 7, language);
      for (const c of split.commands) {
        assert.ok(c.line >= 7 && c.endLine >= c.line, `lines in range (run ${run})`);
        classifyShellRisk(c.text);
        isLongRunning(c.text);
        targetProject(c.text, { ref: 'abcdefghijklmnopqrst', name: 'p', isLocal: run % 2 === 0 });
        resolveSupabaseInvocation(c.text, { workspaceBin: 'node_modules/.bin/supabase', onPath: false });
        rewriteProjectUrls(c.text, 'http://127.0.0.1:54321');
        maskSecrets(c.text, ['secret-value']);
        try {
          substitutePlaceholders(c.text, { name: "v'$(x)\n", function_name: 'fn' });
        } catch (e) {
          assert.ok(e instanceof PlaceholderSubstitutionError, `only documented refusals (run ${run}): ${String(e)}`);
        }
      }
    }
    slowest = Math.max(slowest, performance.now() - started);
  }
  assert.ok(slowest < HANG_BOUND_MS, `slowest snippet took ${slowest.toFixed(1)} ms`);
});
