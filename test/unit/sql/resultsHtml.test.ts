// The Query Results page's Content Security Policy: only the bundled script with this page's
// nonce runs, and nothing inline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newNonce, resultsHtml } from '../../../src/vscode/sql/resultsHtml';

const parts = (nonce: string) => ({
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/resultsMain.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/results.css',
  nonce,
});

function csp(html: string): string {
  const match = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(match, 'a CSP meta tag');
  return match[1];
}

test('the CSP denies by default and allows scripts only by nonce', () => {
  const nonce = newNonce();
  const policy = csp(resultsHtml(parts(nonce)));
  assert.match(policy, /^default-src 'none'; /);
  assert.match(policy, new RegExp(`script-src 'nonce-${nonce}'(;|$)`));
  assert.match(policy, /style-src https:\/\/file\+\.vscode-resource\.vscode-cdn\.net(;|$)/);
  assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|\*/);
});

test('every script carries the nonce and loads from the extension; nothing is inline', () => {
  const nonce = newNonce();
  const html = resultsHtml(parts(nonce));
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 1);
  for (const [, attributes, body] of scripts) {
    assert.match(attributes, new RegExp(`nonce="${nonce}"`));
    assert.match(
      attributes,
      /src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/dist\/webview\/resultsMain\.js"/,
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
