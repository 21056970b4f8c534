// Code loaded on first use (an import() of a bundle in dist/lazy), loaded once for every caller. A failed load is
// not kept: the next call tries again, so a file that was briefly missing does not break the feature for the session.

export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}
