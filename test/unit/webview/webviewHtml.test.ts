// Every panel's page under its Content Security Policy: only the panel's bundled script with this page's nonce
// runs, styles come only from the extension, nothing is inline, and the panel's own text is escaped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newNonce, webviewPageHtml, type WebviewPageParts } from '../../../src/vscode/webview/webviewHtml';

const ORIGIN = 'https://file+.vscode-resource.vscode-cdn.net';
const parts = (nonce: string, more: Partial<WebviewPageParts> = {}): WebviewPageParts => ({
  cspSource: ORIGIN,
  scriptUri: `${ORIGIN}/ext/dist/webview/results.js`,
  styleUris: [`${ORIGIN}/ext/media/webview.css`, `${ORIGIN}/ext/media/results.css`],
  title: 'Query Results',
  panel: 'results',
  nonce,
  ...more,
});

function csp(html: string): string {
  const match = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(match, 'a CSP meta tag');
  return match[1];
}

test('the CSP denies by default and allows scripts only by nonce', () => {
  const nonce = newNonce();
  const policy = csp(webviewPageHtml(parts(nonce)));
  assert.match(policy, /^default-src 'none'; /);
  assert.match(policy, new RegExp(`script-src 'nonce-${nonce}'(;|$)`));
  assert.match(policy, /style-src https:\/\/file\+\.vscode-resource\.vscode-cdn\.net(;|$)/);
  assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|\*/);
});

test('every script carries the nonce and loads from the extension; nothing is inline', () => {
  const nonce = newNonce();
  const html = webviewPageHtml(parts(nonce));
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 1);
  for (const [, attributes, body] of scripts) {
    assert.match(attributes, new RegExp(`nonce="${nonce}"`));
    assert.match(
      attributes,
      /src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/dist\/webview\/results\.js"/,
    );
    assert.equal(body.trim(), '', 'no inline script body');
  }
  assert.doesNotMatch(html, /<style\b/i, 'no inline style element');
  assert.doesNotMatch(html, /\sstyle=/i, 'no style attribute');
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handler');
});

test('each page gets a fresh, unguessable nonce', () => {
  const nonces = new Set(Array.from({ length: 100 }, () => newNonce()));
  assert.equal(nonces.size, 100);
  for (const nonce of nonces) assert.match(nonce, /^[0-9a-f]{32}$/);
});

test('the shared stylesheet comes first, then the panel’s own, all from the extension', () => {
  const html = webviewPageHtml(parts(newNonce()));
  const links = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)].map((m) => m[1]);
  assert.deepEqual(links, [`${ORIGIN}/ext/media/webview.css`, `${ORIGIN}/ext/media/results.css`]);
});

test('the panel’s own text is escaped and the page names its panel', () => {
  const html = webviewPageHtml(
    parts(newNonce(), { title: 'Results </title><script>alert(1)</script>', emptyText: 'Run "x" & <see>' }),
  );
  assert.equal([...html.matchAll(/<script\b/g)].length, 1, 'only the bundled script');
  assert.match(html, /<title>Results &lt;\/title&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/title>/);
  assert.match(
    html,
    /<main id="app" data-panel="results" aria-live="polite"><p class="empty">Run &quot;x&quot; &amp; &lt;see&gt;<\/p><\/main>/,
  );
});
