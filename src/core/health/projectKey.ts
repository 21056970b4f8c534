// Which key the probes send: the project's anon or publishable key, never the service role key or a secret key. The
// local stack's default anon key is public (every `supabase start` prints the same one), so it is the fallback for a
// local API URL.

/**
 * The anon key of every local stack started by `supabase start`: public, not a secret. It is the JWT
 * {"iss":"supabase-demo","role":"anon"} signed with the default JWT secret built into the Supabase CLI, so every local
 * stack prints the same one.
 */
export const LOCAL_STACK_ANON_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';

export interface ApiKeyEntry {
  name: string;
  api_key?: string | null;
  type?: 'legacy' | 'publishable' | 'secret' | null;
}

/** The publishable key, else the legacy anon key; never a secret or service_role key. */
export function publicKeyOf(keys: readonly ApiKeyEntry[]): { key: string; kind: 'publishable' | 'anon' } | undefined {
  const usable = (k: ApiKeyEntry) => typeof k.api_key === 'string' && k.api_key.length > 0 && !isPrivileged(k);
  const publishable = keys.find((k) => k.type === 'publishable' && usable(k));
  if (publishable) return { key: publishable.api_key!, kind: 'publishable' };
  const anon = keys.find((k) => (k.type === 'legacy' || !k.type) && k.name === 'anon' && usable(k));
  return anon ? { key: anon.api_key!, kind: 'anon' } : undefined;
}

/** A key that bypasses Row Level Security: never used by the health checks. */
export function isPrivileged(key: ApiKeyEntry): boolean {
  return key.type === 'secret' || /service[_-]?role/i.test(key.name) || /^sb_secret_/.test(key.api_key ?? '');
}

/** A key the user gave that would bypass RLS: a service role JWT or a secret key. */
export function looksPrivileged(key: string): boolean {
  if (/^sb_secret_/.test(key)) return true;
  const payload = key.split('.')[1];
  if (!key.startsWith('eyJ') || !payload) return false;
  try {
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { role?: unknown };
    return json.role === 'service_role' || json.role === 'supabase_admin';
  } catch {
    return false;
  }
}

export function isLocalApiUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host);
  } catch {
    return false;
  }
}
