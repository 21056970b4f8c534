// The UI bridge: a small HTTP server through which a test running inside the extension host sees
// and touches the real workbench DOM (including webview iframes) by driving the playwright page.
// Protocol: POST a JSON operation, get back {ok:true, result} or {ok:false, error}. test/vscode/driver.ts
// is the client.
import { createServer } from 'node:http';
import { join } from 'node:path';

const DEFAULT_TIMEOUT_MS = 10_000;
const POLL_MS = 150;

// Runs inside a frame: the facts a test asserts on, for each element.
function describeElements(elements) {
  return elements.map((el) => {
    const rect = el.getBoundingClientRect();
    const visible =
      rect.width > 0 &&
      rect.height > 0 &&
      (el.checkVisibility ? el.checkVisibility({ visibilityProperty: true }) : true);
    return {
      text: (el.innerText ?? el.textContent ?? '').trim(),
      ariaLabel: el.getAttribute('aria-label'),
      className: typeof el.className === 'string' ? el.className : (el.getAttribute('class') ?? ''),
      visible,
      ariaExpanded: el.getAttribute('aria-expanded'),
      ariaSelected: el.getAttribute('aria-selected'),
      title: el.getAttribute('title'),
      top: Math.round(rect.top),
      // Really on screen: a point on it belongs to it (not to a panel drawn over it). Any of three points along
      // it will do: editors draw thin layers (cursor, rulers) over parts of a line.
      hitPoint: (() => {
        if (!visible) return null;
        const y = rect.top + rect.height / 2;
        if (y < 0 || y > innerHeight) return null;
        for (const x of [rect.left + rect.width / 2, rect.left + 2, rect.right - 2]) {
          if (x < 0 || x > innerWidth) continue;
          const hit = document.elementFromPoint(x, y);
          if (hit && (hit === el || el.contains(hit) || hit.contains(el)))
            return { x: Math.round(x), y: Math.round(y) };
        }
        return null;
      })(),
    };
  });
}

/**
 * @param {{ resultsDir: string, host?: string }} options
 * @returns {Promise<{ url: string, attach(page: import('playwright-core').Page): void, history: string[], close(): Promise<void> }>}
 */
export async function startUiBridge({ resultsDir, host = '127.0.0.1' }) {
  let attachPage;
  const pageReady = new Promise((resolve) => (attachPage = resolve));
  const history = [];
  let queue = Promise.resolve();

  const operations = {
    async screenshot(page, { name }) {
      const path = join(resultsDir, `${safeName(name ?? 'screenshot')}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async query(page, { selector, frameUrlIncludes }) {
      const found = [];
      for (const frame of framesOf(page, frameUrlIncludes)) {
        for (const info of await infoInFrame(frame, selector)) found.push(info);
      }
      return found;
    },
    click: (page, op) => clickFirst(page, op, 'click'),
    dblclick: (page, op) => clickFirst(page, op, 'dblclick'),
    /** Moves the mouse over the first visible match, for hovers and tooltips. */
    async hover(page, { selector, text, frameUrlIncludes, timeoutMs = DEFAULT_TIMEOUT_MS }) {
      const { frame, index, info } = await waitForElement(page, { selector, text, frameUrlIncludes, timeoutMs });
      const handle = (await frame.$$(selector))[index];
      try {
        await handle.hover({ timeout: timeoutMs });
      } finally {
        await handle?.dispose();
      }
      return info;
    },
    async press(page, { key }) {
      await page.keyboard.press(key);
      return null;
    },
    async type(page, { text }) {
      await page.keyboard.type(text);
      return null;
    },
    async waitFor(page, { selector, text, frameUrlIncludes, timeoutMs = DEFAULT_TIMEOUT_MS }) {
      const { info } = await waitForElement(page, { selector, text, frameUrlIncludes, timeoutMs });
      return info;
    },
    async evaluate(page, { expression, frameUrlIncludes }) {
      const values = [];
      let firstError;
      for (const frame of framesOf(page, frameUrlIncludes)) {
        try {
          values.push(await frame.evaluate(expression));
        } catch (error) {
          firstError ??= error;
        }
      }
      if (values.length === 0 && firstError) throw firstError;
      return values;
    },
    async frames(page) {
      return page
        .frames()
        .filter((f) => !f.isDetached())
        .map((f) => f.url());
    },
  };

  async function perform(op) {
    const handler = operations[op?.op];
    if (!handler)
      throw new Error(`unknown operation ${JSON.stringify(op?.op)}; known: ${Object.keys(operations).join(', ')}`);
    const page = await pageReady;
    return handler(page, op);
  }

  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const started = Date.now();
      let op;
      // One operation at a time: a test's clicks and screenshots must not interleave.
      const run = () =>
        Promise.resolve().then(() => {
          op = JSON.parse(body || '{}');
          return perform(op);
        });
      const outcome = queue.then(run, run);
      queue = outcome.catch(() => undefined);
      outcome.then(
        (result) => reply(response, { ok: true, result }, summarize(op, started, 'ok')),
        (error) =>
          reply(
            response,
            { ok: false, error: String(error?.message ?? error) },
            summarize(op, started, `error: ${String(error?.message ?? error).split('\n')[0]}`),
          ),
      );
    });
  });

  function summarize(op, started, outcome) {
    const { op: name, ...rest } = op ?? {};
    return `${new Date().toISOString()} ${name} ${JSON.stringify(rest)} -> ${outcome} (${Date.now() - started} ms)`;
  }

  function reply(response, payload, line) {
    history.push(line);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(payload));
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address();
  return {
    url: `http://${host}:${port}`,
    attach: (page) => attachPage(page),
    history,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

function framesOf(page, frameUrlIncludes) {
  return page
    .frames()
    .filter((frame) => !frame.isDetached() && (!frameUrlIncludes || frame.url().includes(frameUrlIncludes)));
}

async function infoInFrame(frame, selector) {
  try {
    const infos = await frame.$$eval(selector, describeElements);
    return infos.map((info) => ({ frameUrl: frame.url(), ...info }));
  } catch (error) {
    // A frame that navigated or went away mid-query simply has no matches; a bad selector is an error.
    if (/is not a valid selector|SyntaxError|Unexpected token/.test(String(error?.message))) throw error;
    return [];
  }
}

// Finds the first visible element matching selector (and text), across frames, polling until timeout.
// With topmost, the match highest on screen wins (DOM order of editor widgets is not visual order).
async function waitForElement(
  page,
  { selector, text, frameUrlIncludes, timeoutMs = DEFAULT_TIMEOUT_MS, topmost = false },
) {
  if (!selector) throw new Error('selector is required');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of framesOf(page, frameUrlIncludes)) {
      const infos = await infoInFrame(frame, selector);
      const matches = (info) =>
        info.visible && (!topmost || info.hitPoint) && (text === undefined || info.text.includes(text));
      let index = infos.findIndex(matches);
      if (topmost)
        infos.forEach((info, i) => {
          if (matches(info) && info.top >= 0 && (infos[index].top < 0 || info.top < infos[index].top)) index = i;
        });
      if (index >= 0) return { frame, index, info: infos[index] };
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `no visible element matches ${JSON.stringify(selector)}${text !== undefined ? ` with text ${JSON.stringify(text)}` : ''}${frameUrlIncludes ? ` in frames whose url includes ${JSON.stringify(frameUrlIncludes)}` : ''} after ${timeoutMs} ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

// Editor widgets (lenses, list rows) are re-rendered at any moment; a match that went away is looked up again.
async function clickFirst(
  page,
  { selector, text, frameUrlIncludes, button = 'left', timeoutMs = DEFAULT_TIMEOUT_MS, topmost = false },
  how,
) {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    const { frame, index, info } = await waitForElement(page, { selector, text, frameUrlIncludes, timeoutMs, topmost });
    // A point checked a moment ago is clicked as is: editor widgets re-render, so a looked-up handle can be a different one.
    if (topmost && info.hitPoint && frame === page.mainFrame()) {
      if (how === 'dblclick') await page.mouse.dblclick(info.hitPoint.x, info.hitPoint.y, { button });
      else await page.mouse.click(info.hitPoint.x, info.hitPoint.y, { button });
      return info;
    }
    const handle = (await frame.$$(selector))[index];
    try {
      if (!handle) throw new Error('Element is not attached to the DOM');
      const remaining = Math.max(1000, timeoutMs - (Date.now() - started));
      if (how === 'dblclick') await handle.dblclick({ button, timeout: remaining });
      else await handle.click({ button, timeout: remaining });
      return info;
    } catch (error) {
      if (attempt >= 3 || !/not attached|detached/i.test(String(error?.message))) throw error;
    } finally {
      await handle?.dispose();
    }
  }
}

function safeName(name) {
  return String(name)
    .replace(/[^\w.-]+/g, '_')
    .slice(0, 120);
}
