// The one way a test waits: poll a condition until it holds, and fail naming what was awaited. Unit tests and the
// suites inside VS Code use it alike. It waits on a condition, never on time; the timeout only ends a wait that will
// not end by itself.

/** Resolves with the probe's first truthy value. */
export async function waitFor<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
