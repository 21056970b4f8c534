// Loads what a shell snippet offers (shellSnippetOffers.ts) once, for the lenses, the Playbooks view and the Copy
// command. A failed load is not kept: the next ask tries again.
type ShellSnippetOffers = typeof import('./shellSnippetOffers');

let loading: Promise<ShellSnippetOffers> | undefined;

export function loadShellSnippetOffers(): Promise<ShellSnippetOffers> {
  loading ??= import('./shellSnippetOffers').catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
