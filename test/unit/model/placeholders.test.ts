// `<name>` is a placeholder only in runnable blocks (SQL, shell, HTTP) and only where it reads as one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunbook } from '../../../src/core/model/parseRunbook';
import { checkRunbook } from '../../../src/core/check/checkRunbook';

const names = (body: string, language: string) =>
  parseRunbook(`# R\n\n\`\`\`\`${language}\n${body}\n\`\`\`\`\n`).snippets[0].placeholders.map((p) => p.name);

test('TypeScript generics, HTML tags and other non-runnable blocks have no placeholders', () => {
  assert.deepEqual(names('const a: Array<string> = [];\nfunction f(): Promise<Response> {}', 'typescript'), []);
  assert.deepEqual(names('<div>\n  <span>hi</span>\n</div>', 'html'), []);
  assert.deepEqual(names('<note>x</note>', 'xml'), []);
  assert.deepEqual(names('graph TD\n  A[<start>] --> B', 'mermaid'), []);
  assert.deepEqual(names('Replace <org_id> here', ''), []);
});

test('runnable blocks: SQL, every shell, HTTP requests', () => {
  assert.deepEqual(names("SELECT * FROM t WHERE org_id = '<org_id>';", 'sql'), ['org_id']);
  assert.deepEqual(names('supabase functions deploy <function_name>', 'bash'), ['function_name']);
  assert.deepEqual(names('git checkout -- supabase/functions/<function_name>', 'zsh'), ['function_name']);
  assert.deepEqual(
    names('GET https://<project_ref>.supabase.co/rest/v1/items?id=eq.<id>\nAuthorization: Bearer <token>', 'http'),
    ['project_ref', 'id', 'token'],
  );
  assert.deepEqual(names('pg_dump > backup_<date>.sql', 'sh'), ['date'], 'an underscore may lead into a placeholder');
});

test('a name glued to a word before it is not a placeholder; neither is a tag the block closes', () => {
  assert.deepEqual(names('sort<input>output', 'bash'), [], 'two redirections without spaces');
  assert.deepEqual(names('SELECT a<b>c FROM t', 'sql'), []);
  assert.deepEqual(names('cat <<EOF > page.html\n<html><body>\n<p>Hello <name></p>\n</body></html>\nEOF', 'bash'), [
    'name',
  ]);
  assert.deepEqual(names('SELECT 1 WHERE a <> b AND c <= d AND e < f', 'sql'), []);
});

test('check no longer warns about generics in TypeScript blocks', () => {
  const md = '## Code\n\n```typescript\nconst r: Promise<Response> = fetch(url);\n```\n\n```html\n<div>x</div>\n```\n';
  const problems = checkRunbook(parseRunbook(md), md).filter((p) => p.code === 'unexplained-placeholder');
  assert.deepEqual(problems, []);
});
