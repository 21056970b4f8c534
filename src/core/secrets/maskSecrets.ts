// Secrets never reach the run journal, the incident timeline or a post-mortem: known secret values (from the
// extension's SecretStorage and the environment) are replaced, and so is anything shaped like a credential.

import { isSecretName } from './secretNames';

export const MASK = '••••';

// Shorter "secrets" would mask ordinary words everywhere; real tokens and passwords are longer.
const MIN_SECRET_LENGTH = 4;
// A known secret this long with a digit or a symbol is masked wherever it appears, even glued to other text (as
// in a URL-encoded form). Shorter ones, and plain words such as the local stack's password `postgres`, are masked
// only as a token of their own, so that `postgresql://` and `postgres_fdw` stay readable.
const DISTINCTIVE_LENGTH = 12;

interface Pattern {
  re: RegExp;
  keep: number;
}

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
  // Passwords in URLs: postgresql://user:password@host, https://user:password@host.
  { re: /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]*:)([^\s@'"/]+)(?=@)/gi, keep: 1 },
  // HTTP headers: Authorization: Bearer …, apikey: …, X-API-Key: ….
  { re: /(\bauthorization\s*:\s*(?:bearer|basic|token)?\s*)([^\s'"]+)/gi, keep: 1 },
  { re: /(\b(?:apikey|x-api-key|api-key|x-supabase-api-key)\s*:\s*)([^\s'"]+)/gi, keep: 1 },
  // Query parameters.
  { re: /([?&](?:apikey|api_key|access_token|token|key|password)=)([^&\s'"#]+)/gi, keep: 1 },
  // Command-line options: --password x, --password=x, --token x, --access-token=x.
  {
    re: /(--(?:password|db-password|token|access-token|api-key|secret|service-role-key)(?:=|\s+))((?:'[^']*'|"[^"]*"|[^\s'"])+)/gi,
    keep: 1,
  },
  // The Supabase CLI's short password option: `supabase link -p x`, `supabase db push -p=x` (psql's -p is a port).
  { re: /(\bsupabase\b[^\n;&|]*?\s-p(?:=|\s+))((?:'[^']*'|"[^"]*"|[^\s'"])+)/g, keep: 1 },
  // curl's user and password: curl -u admin:pw, --user=admin:pw.
  { re: /(\bcurl\b[^\n;&|]*?\s(?:-u|--user)(?:=|\s*)['"]?[^\s:'"]*:)([^\s'"]+)/g, keep: 1 },
  // JSON bodies: {"password": "…"}.
  {
    re: /("(?:password|passwd|secret|token|access_token|refresh_token|api_key|apikey|service_role_key|client_secret)"\s*:\s*")((?:[^"\\]|\\.)*)(?=")/gi,
    keep: 1,
  },
];

// Assignments whose name says the value is a secret: PGPASSWORD=…, export DB_PASS=…, OPENAI_API_KEY=…, and libpq's
// `password=…` inside a connection string. PWD (the working directory) is not one.
const ASSIGNMENT = /(\b[A-Za-z_][A-Za-z0-9_]*=)((?:'[^']*'|"[^"]*"|[^\s'";&|,)}])+)/g;
const VARIABLE_REFERENCE = /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/;

// `supabase secrets set NAME=value …`: every value is a secret, whatever its name.
const SECRETS_SET = /(\bsecrets\s+set\b)([^\n;&|]*)/g;

/**
 * Replaces every known secret value and everything that looks like a credential with `••••`. Applying it twice
 * gives the same text.
 */
export function maskSecrets(text: string, secrets: readonly string[] = []): string {
  let masked = maskKnownValues(text, secrets);
  masked = masked.replace(
    SECRETS_SET,
    (_m, head: string, rest: string) =>
      head +
      rest.replace(
        /(\b[A-Za-z_][A-Za-z0-9_]*=)((?:'[^']*'|"[^"]*"|[^\s'"])+)/g,
        (whole: string, name: string, value: string) => (isReference(value) ? whole : name + MASK),
      ),
  );
  masked = masked.replace(ASSIGNMENT, (whole: string, head: string, value: string) => {
    const name = head.slice(0, -1);
    return isSecretName(name) && !isReference(value) ? head + MASK : whole;
  });
  for (const { re, keep } of PATTERNS) {
    masked = masked.replace(re, (...m: unknown[]) => {
      const groups = m.slice(1, 1 + keep) as string[];
      const value = String(m[0]).slice(groups.join('').length);
      // `Bearer $SERVICE_KEY` shows where the secret came from without showing it.
      if (keep > 0 && isReference(value)) return String(m[0]);
      return groups.join('') + MASK;
    });
  }
  return masked;
}

/** A known secret value; `anyLength` ones were typed by the user as secrets, so every occurrence counts. */
export type KnownSecret = string | { value: string; anyLength: boolean };

/**
 * Replaces the known secret values only (not the credential patterns of maskSecrets), with their URL-encoded and
 * JSON-escaped forms, longest first so a secret that contains another is masked whole. A plain string follows the
 * rules above: ignored when shorter than MIN_SECRET_LENGTH, and masked only as a token of its own unless
 * distinctive. `anyLength: true` masks the value however short and wherever it appears, even inside a word.
 */
export function maskKnownValues(text: string, secrets: readonly (KnownSecret | undefined)[]): string {
  return knownValueMasker(secrets)(text);
}

/** maskKnownValues with the secrets prepared once, for masking many texts (the cells of a result). */
export function knownValueMasker(secrets: readonly (KnownSecret | undefined)[]): (text: string) => string {
  const anywhere = new Map<string, boolean>();
  for (const secret of secrets) {
    if (secret === undefined) continue;
    const { value, anyLength } = typeof secret === 'string' ? { value: secret, anyLength: false } : secret;
    for (const variant of variantsOf(value)) {
      if (!anyLength && variant.length < MIN_SECRET_LENGTH) continue;
      anywhere.set(variant, anywhere.get(variant) === true || anyLength || isDistinctive(variant));
    }
  }
  if (anywhere.size === 0) return (text) => text;
  const steps = [...anywhere]
    .sort(([a], [b]) => b.length - a.length)
    .map(([secret, everywhere]): ((text: string) => string) => {
      if (everywhere) return (text) => (text.includes(secret) ? text.split(secret).join(MASK) : text);
      const token = new RegExp(`(?<![A-Za-z0-9_])${escapeRegExp(secret)}(?![A-Za-z0-9_])`, 'g');
      return (text) => (text.includes(secret) ? text.replace(token, MASK) : text);
    });
  return (text) => steps.reduce((masked, step) => step(masked), text);
}

function isReference(value: string): boolean {
  return VARIABLE_REFERENCE.test(value.replace(/^["']|["']$/g, ''));
}

function isDistinctive(secret: string): boolean {
  return secret.length >= DISTINCTIVE_LENGTH && /[^A-Za-z]/.test(secret);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// A secret may appear URL-encoded (in a connection string) or JSON-escaped (in a request body).
function variantsOf(secret: string): string[] {
  if (!secret) return [];
  const variants = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
  return variants.filter((v) => v.length > 0);
}
