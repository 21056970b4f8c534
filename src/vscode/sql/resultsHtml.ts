// The Query Results webview's page. Pure (no VS Code API), so its Content Security Policy can be
// unit-tested: nothing runs but the one bundled script carrying this page's nonce, styles come
// only from the extension's stylesheet, and there is no inline script, style or event handler.

export interface ResultsHtmlParts {
  /** webview.cspSource: the origin of the extension's local resources. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  /** A fresh value per page (newNonce). */
  nonce: string;
}

/** 128 random bits as hex, from the platform's CSPRNG. */
export function newNonce(): string {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function resultsHtml({ cspSource, scriptUri, styleUri, nonce }: ResultsHtmlParts): string {
  const csp = [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(styleUri)}">
<title>Query Results</title>
</head>
<body>
<main id="app" aria-live="polite"><p class="empty">Run a SQL snippet from the runbook to see its results here.</p></main>
<script nonce="${escapeAttribute(nonce)}" src="${escapeAttribute(scriptUri)}"></script>
</body>
</html>`;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
