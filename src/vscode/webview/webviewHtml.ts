// Every webview panel's page. Pure (no VS Code API), so its Content Security Policy is unit-tested: nothing runs
// but the panel's one bundled script carrying this page's nonce, styles come only from the extension's own
// stylesheets, and there is no inline script, style or event handler. The page's content is drawn by its script,
// as text; the only text here is the panel's own (title, the line shown before the script runs), escaped.

export interface WebviewPageParts {
  /** webview.cspSource: the origin of the extension's local resources. */
  cspSource: string;
  /** A fresh value per render (newNonce). */
  nonce: string;
  scriptUri: string;
  /** The shared stylesheet first, then the panel's own. */
  styleUris: readonly string[];
  title: string;
  /** The bundle's name (`results`), set on <main> so a test or a stylesheet can tell the panels apart. */
  panel: string;
  /** Shown until the script draws the page (or when it has nothing to show yet). */
  emptyText?: string;
}

/** 128 random bits as hex, from the platform's CSPRNG. */
export function newNonce(): string {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
  ].join('; ');
}

export function webviewPageHtml(parts: WebviewPageParts): string {
  const csp = contentSecurityPolicy(parts.cspSource, parts.nonce);
  const styles = parts.styleUris.map((uri) => `<link rel="stylesheet" href="${escapeHtml(uri)}">`).join('\n');
  const empty = parts.emptyText ? `<p class="empty">${escapeHtml(parts.emptyText)}</p>` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles}
<title>${escapeHtml(parts.title)}</title>
</head>
<body>
<main id="app" data-panel="${escapeHtml(parts.panel)}" aria-live="polite">${empty}</main>
<script nonce="${escapeHtml(parts.nonce)}" src="${escapeHtml(parts.scriptUri)}"></script>
</body>
</html>`;
}

/** For text and double-quoted attribute values, the only places this page puts text. */
function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
