// Secrets never reach the run journal, the incident timeline or a post-mortem: known secret values (from the
// extension's SecretStorage and the environment) are replaced, and so is anything shaped like a credential.

export const MASK = '••••';

// Shorter "secrets" would mask ordinary words everywhere; real tokens and passwords are longer.
const MIN_SECRET_LENGTH = 4;

interface Pattern { re: RegExp; keep: number }

// Each pattern keeps its first `keep` groups (the label) and masks the rest of the match.
const PATTERNS: Pattern[] = [
  // Supabase personal access tokens and secret API keys.
  { re: /\bsbp_[0-9a-f]{40}\b/g, keep: 0 },
  { re: /\bsb_secret_[A-Za-z0-9_-]{8,}/g, keep: 0 },
  // JWTs (anon and service_role keys, user tokens): header.payload[.signature].
  { re: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}(?:\.[A-Za-z0-9_-]*)?/g, keep: 0 },
  // Well-known provider tokens.
  { re: /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{10,}/g, keep: 0 },
  { re: /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}/g, keep: 0 },
  { re: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}|\bgithub_pat_[A-Za-z0-9_]{20,}/g, keep: 0 },
  { re: /\bxox[abprs]-[A-Za-z0-9-]{10,}/g, keep: 0 },
  { re: /\bwhsec_[A-Za-z0-9+/=]{10,}/g, keep: 0 },
  { re: /\bAKIA[0-9A-Z]{16}\b/g, keep: 0 },
  // Passwords in connection strings: postgres://user:password@host.
  { re: /(\b(?:postgres|postgresql|mysql|redis|rediss|mongodb(?:\+srv)?|amqps?):\/\/[^\s:/@'"]*:)([^\s@'"]+)(?=@)/gi, keep: 1 },
  // HTTP headers: Authorization: Bearer …, apikey: …, X-API-Key: ….
  { re: /(\bauthorization\s*:\s*(?:bearer|basic|token)?\s*)([^\s'"]+)/gi, keep: 1 },
  { re: /(\b(?:apikey|x-api-key|api-key|x-supabase-api-key)\s*:\s*)([^\s'"]+)/gi, keep: 1 },
  // Query parameters.
  { re: /([?&](?:apikey|api_key|access_token|token|key|password)=)([^&\s'"#]+)/gi, keep: 1 },
  // Command-line options: --password x, --password=x, --token x, --access-token=x.
  { re: /(--(?:password|db-password|token|access-token|api-key|secret|service-role-key)(?:=|\s+))((?:'[^']*'|"[^"]*"|[^\s'"])+)/gi, keep: 1 },
  // Environment assignments: PGPASSWORD=…, SUPABASE_ACCESS_TOKEN=…, ANY_SECRET=…, OPENAI_API_KEY=….
  { re: /(\b(?:PGPASSWORD|SUPABASE_ACCESS_TOKEN|SUPABASE_DB_PASSWORD|[A-Z][A-Z0-9_]*(?:PASSWORD|PASSWD|SECRET|TOKEN|_KEY|APIKEY))=)((?:'[^']*'|"[^"]*"|[^\s'";&|])+)/g, keep: 1 },
];

const VARIABLE_REFERENCE = /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/;

// `supabase secrets set NAME=value …`: every value is a secret, whatever its name.
const SECRETS_SET = /(\bsecrets\s+set\b)([^\n;&|]*)/g;

/**
 * Replaces every known secret value and everything that looks like a credential with `••••`. Applying it twice
 * gives the same text.
 */
export function maskSecrets(text: string, secrets: readonly string[] = []): string {
  let masked = text;
  const known = [...new Set(secrets.flatMap(variantsOf))].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  for (const secret of known) masked = masked.split(secret).join(MASK);
  masked = masked.replace(SECRETS_SET, (_m, head: string, rest: string) => head + rest.replace(
    /(\b[A-Za-z_][A-Za-z0-9_]*=)((?:'[^']*'|"[^"]*"|[^\s'"])+)/g,
    (whole: string, name: string, value: string) => (VARIABLE_REFERENCE.test(value.replace(/^["']|["']$/g, '')) ? whole : name + MASK),
  ));
  for (const { re, keep } of PATTERNS) {
    masked = masked.replace(re, (...m: unknown[]) => {
      const groups = m.slice(1, 1 + keep) as string[];
      const value = String(m[0]).slice(groups.join('').length);
      // `Bearer $SERVICE_KEY` shows where the secret came from without showing it.
      if (keep > 0 && VARIABLE_REFERENCE.test(value.replace(/^["']|["']$/g, ''))) return String(m[0]);
      return groups.join('') + MASK;
    });
  }
  return masked;
}

// A secret may appear URL-encoded (in a connection string) or JSON-escaped (in a request body).
function variantsOf(secret: string): string[] {
  if (!secret) return [];
  const variants = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
  return variants.filter((v) => v.length > 0);
}
