// Client of the UI bridge (test/vscode/harness/uiBridge.mjs): lets a test in the extension host see
// and touch the real workbench DOM, webview iframes included. Only code-server runs have it; tests
// that need it call `this.skip()` when `driver.available` is false.

export interface ElementInfo {
  frameUrl: string;
  /** innerText, trimmed. */
  text: string;
  ariaLabel: string | null;
  className: string;
  visible: boolean;
  ariaExpanded: string | null;
  ariaSelected: string | null;
  title: string | null;
  /** Distance from the top of its frame's viewport, in CSS pixels. */
  top: number;
  /** A point where a click reaches the element (on screen, not covered), or null. */
  hitPoint: { x: number; y: number } | null;
}

export interface FrameOptions {
  /** Only frames whose URL includes this; webview content lives in nested iframes. */
  frameUrlIncludes?: string;
}

export interface FindOptions extends FrameOptions {
  /** Only elements whose innerText includes this. */
  text?: string;
  timeoutMs?: number;
}

export interface ClickOptions extends FindOptions {
  button?: 'left' | 'right' | 'middle';
  /** Click the visible match highest on the screen rather than the first in DOM order. */
  topmost?: boolean;
}

const endpoint = process.env.RUNBOOK_TEST_DRIVER;

async function send<T>(operation: Record<string, unknown>): Promise<T> {
  if (!endpoint) throw new Error('UI driver not available (desktop VS Code run)');
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(operation),
  });
  const reply = (await response.json()) as { ok: true; result: T } | { ok: false; error: string };
  if (!reply.ok) throw new Error(`UI driver ${String(operation.op)}: ${reply.error}`);
  return reply.result;
}

export const driver = {
  available: Boolean(endpoint),
  /** Saves a full-page PNG next to the results; returns its path. */
  screenshot: (name: string) => send<string>({ op: 'screenshot', name }),
  /** Every element matching the selector, in every frame (or the frames chosen). */
  query: (selector: string, options: FrameOptions = {}) => send<ElementInfo[]>({ op: 'query', selector, ...options }),
  /** Clicks the first visible match, waiting for one to appear. */
  click: (selector: string, options: ClickOptions = {}) => send<ElementInfo>({ op: 'click', selector, ...options }),
  dblclick: (selector: string, options: ClickOptions = {}) =>
    send<ElementInfo>({ op: 'dblclick', selector, ...options }),
  /** Moves the mouse over the first visible match (hovers, tooltips). */
  hover: (selector: string, options: FindOptions = {}) => send<ElementInfo>({ op: 'hover', selector, ...options }),
  /** A key or chord for the page, e.g. 'Enter', 'Escape', 'Control+Shift+P'. */
  press: (key: string) => send<null>({ op: 'press', key }),
  type: (text: string) => send<null>({ op: 'type', text }),
  /** Resolves with the first visible match; rejects after timeoutMs (10 s by default). */
  waitFor: (selector: string, options: FindOptions = {}) => send<ElementInfo>({ op: 'waitFor', selector, ...options }),
  /** Evaluates a JS expression in each frame chosen; returns the values. */
  evaluate: <T = unknown>(expression: string, options: FrameOptions = {}) =>
    send<T[]>({ op: 'evaluate', expression, ...options }),
  /** URLs of all frames, for finding a webview's frame while writing a test. */
  frames: () => send<string[]>({ op: 'frames' }),
};
