// Runbooks hard-code the production project's URL in curl health checks. Before running, such a URL is pointed
// at the active project's API URL (often the local stack), keeping path and query, and the user is told.

export interface RewrittenUrls {
  text: string;
  /** One line per distinct URL origin rewritten: `https://abc….supabase.co → http://127.0.0.1:54321`. */
  notices: string[];
}

// `https://<ref>.supabase.co` (the API gateway) and the older `https://<ref>.functions.supabase.co` (functions only),
// with an explicit port (`:443`) taken as part of the origin so that the rewritten URL never gets a second one.
const PROJECT_URL = /\bhttps?:\/\/([a-z0-9]{20})(\.functions)?\.supabase\.(?:co|in)(?::\d{1,5})?(?![A-Za-z0-9.:-])/g;
// What may appear in the inserted URL, so that it can never end a quote or start an expansion.
const SAFE_URL = /^https?:\/\/[A-Za-z0-9.:[\]_-]+(\/[A-Za-z0-9._~\/-]*)?$/;

/** Rewrites hosted project URLs to `apiUrl`. Throws when `apiUrl` is not a plain http(s) URL. */
export function rewriteProjectUrls(command: string, apiUrl: string): RewrittenUrls {
  const base = normaliseApiUrl(apiUrl);
  const notices = new Set<string>();
  const text = command.replace(PROJECT_URL, (origin: string, _ref: string, functionsHost: string | undefined) => {
    // The old functions host serves what the gateway serves under /functions/v1.
    const target = functionsHost ? `${base}/functions/v1` : base;
    if (withoutDefaultPort(origin) === target) return origin;
    notices.add(`${origin} → ${target}`);
    return target;
  });
  return { text, notices: [...notices] };
}

function withoutDefaultPort(origin: string): string {
  return origin.replace(
    /^(https:\/\/[^/]+):443$|^(http:\/\/[^/]+):80$/,
    (_m, https?: string, http?: string) => https ?? http ?? origin,
  );
}

function normaliseApiUrl(apiUrl: string): string {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new Error(`Not a URL: ${apiUrl}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`The API URL must be http or https: ${apiUrl}`);
  if (url.username || url.password || url.search || url.hash)
    throw new Error(`The API URL must not carry credentials, a query or a fragment: ${apiUrl}`);
  const base = `${url.protocol}//${url.host}${url.pathname}`.replace(/\/+$/, '');
  if (!SAFE_URL.test(base))
    throw new Error(`The API URL has characters that cannot be put in a command safely: ${apiUrl}`);
  return base;
}

/** The project ref of every hosted project URL in the text, in order of appearance, without repeats. */
export function projectRefsInUrls(command: string): string[] {
  return [...new Set([...command.matchAll(PROJECT_URL)].map((m) => m[1]))];
}
