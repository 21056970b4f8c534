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
  /** Leaves a match alone: a setting such as password_encryption, a boolean, a count. */
  skip?: (label: string, value: string) => boolean;
}

// A word as a shell reads it: quoted parts, escapes (`'\''` included) and plain characters.
const SHELL_WORD = String.raw`(?:'[^']*'|"(?:[^"\\]|\\.)*"|\\.|[^\s'"\\;&|])+`;
// Names that say their value is a secret, inside a longer name: db_password, X-Auth-Token, aws_secret_access_key.
const SECRET_KEY = String.raw`[\w.-]*(?:passw(?:or)?d|pwd|secret|token|api[_-]?key|apikey|private[_-]?key|access[_-]?key|auth[_-]?key|(?:service(?:[_-]?role)?|signing|master|encryption|webhook|anon)[_-]?key|credentials?)[\w.-]*`;
// …unless the name is about the secret rather than holding it.
const NOT_A_SECRET_KEY =
  /(_|-|\.)(encryption|expiry|expires?|ttl|length|lifetime|timeout|enabled|rotation|count|limit|interval|type|file|path|id|name|hash|policy|min|max)$|^tokens?$/i;
const NOT_A_SECRET_VALUE = /^(true|false|null|yes|no|on|off|~|\d{1,5}|\[\]|\{\})$/i;
const notASecret = (label: string, value: string): boolean => {
  const key = /([\w.-]+)["']?\s*[:=]/.exec(label)?.[1] ?? '';
  // PWD and OLDPWD are the working directories.
  if (key === 'PWD' || key === 'OLDPWD') return true;
  return NOT_A_SECRET_KEY.test(key) || NOT_A_SECRET_VALUE.test(value.replace(/^["']|["']$/g, ''));
};

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
  // Passwords in URLs: postgresql://user:password@host, https://user:password@host. A password written without
  // percent-encoding may hold `'`, `/` and `@`: it runs to the last `@` that a host name follows.
  {
    re: /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]*:)(?!\d{1,5}(?:[/?#]|$))((?:[^\s"\\]|\\.)+?)(?=@[\w.-]+(?::\d+)?(?:[/?#\s'"]|$))/gi,
    keep: 1,
  },
  // HTTP headers: Authorization: Bearer …, apikey: …, X-API-Key: ….
  { re: /(\bauthorization\s*:\s*(?:bearer|basic|token)?\s*)([^\s'"]+)/gi, keep: 1 },
  { re: /(\b(?:apikey|x-api-key|api-key|x-supabase-api-key)\s*:\s*)([^\s'"]+)/gi, keep: 1 },
  // Cookies: Cookie: a=b; c=d, Set-Cookie: …, curl -b 'a=b' / --cookie.
  { re: /(\b(?:set-)?cookie\s*:\s*)((?:[^\r\n'"\\]|'\\''|\\.)+)/gi, keep: 1 },
  { re: new RegExp(String.raw`(\bcurl\b[^\n;&|]*?\s(?:-b|--cookie)(?:=|\s+))(${SHELL_WORD})`, 'g'), keep: 1 },
  // Query parameters.
  {
    re: /([?&][\w.-]*(?:key|token|secret|passw(?:or)?d|pwd|sig|signature|credential)[\w.-]*=)([^&\s'"#]+)/gi,
    keep: 1,
    skip: notASecret,
  },
  // Command-line options: --password x, --password=x, --token x, --access-token=x, --client-secret=x.
  {
    re: new RegExp(
      String.raw`(--[\w-]*(?:password|passwd|token|api-key|apikey|secret|service-role-key|credential)[\w-]*(?:=|\s+))(${SHELL_WORD})`,
      'gi',
    ),
    keep: 1,
    skip: notASecret,
  },
  // Programs whose short option takes a password: sshpass -p x, mysql -px (glued), redis-cli -a x.
  { re: new RegExp(String.raw`(\bsshpass\b[^\n;&|]*?\s-p\s*)(${SHELL_WORD})`, 'g'), keep: 1 },
  {
    re: new RegExp(
      String.raw`(\b(?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump)\b[^\n;&|]*?\s-p)(?=\S)(${SHELL_WORD})`,
      'g',
    ),
    keep: 1,
  },
  { re: new RegExp(String.raw`(\bredis-cli\b[^\n;&|]*?\s-a\s+)(${SHELL_WORD})`, 'g'), keep: 1 },
  // The Supabase CLI's short password option: `supabase link -p x`, `supabase db push -p=x` (psql's -p is a port).
  { re: /(\bsupabase\b[^\n;&|]*?\s-p(?:=|\s+))((?:'[^']*'|"[^"]*"|[^\s'"])+)/g, keep: 1 },
  // curl's user and password: curl -u admin:pw, --user=admin:pw.
  { re: /(\bcurl\b[^\n;&|]*?\s(?:-u|--user)(?:=|\s*)['"]?[^\s:'"]*:)([^\s'"]+)/g, keep: 1 },
  // JSON bodies and dictionaries: {"password": "…"}, {"db_password": "…"}, {'service_key': '…'}.
  {
    re: new RegExp(String.raw`("${SECRET_KEY}"\s*:\s*")((?:[^"\\]|\\.)*)(?=")`, 'gi'),
    keep: 1,
    skip: notASecret,
  },
  {
    re: new RegExp(String.raw`('${SECRET_KEY}'\s*:\s*')((?:[^'\\]|\\.)*)(?=')`, 'gi'),
    keep: 1,
    skip: notASecret,
  },
  // YAML, .env-like and HTTP header lines: password: x, db_password: "x", X-Auth-Token: x.
  {
    re: new RegExp(
      String.raw`((?:^|[\s{,(])${SECRET_KEY}[ \t]*:[ \t]*)("(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|[^\s'",}#]+)`,
      'gim',
    ),
    keep: 1,
    skip: notASecret,
  },
  // libpq and ini settings with spaces: password = x, password = 'it\'s' (a backslash escapes in libpq).
  {
    re: new RegExp(
      String.raw`((?:^|[\s"'(])${SECRET_KEY}[ \t]*=[ \t]*)('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^\s'";&|,)}]+)`,
      'gim',
    ),
    keep: 1,
    skip: notASecret,
  },
  // SQL: CREATE ROLE … PASSWORD 'x', ALTER USER … WITH ENCRYPTED PASSWORD 'x'.
  { re: /(\bpassword\s+)('(?:[^']|'')*')/gi, keep: 1 },
  // Private keys in PEM form.
  { re: /(-----BEGIN [A-Z ]*PRIVATE KEY-----)([\s\S]*?)(?=-----END [A-Z ]*PRIVATE KEY-----)/g, keep: 1 },
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
  for (const { re, keep, skip } of PATTERNS) {
    masked = masked.replace(re, (...m: unknown[]) => {
      const groups = m.slice(1, 1 + keep) as string[];
      const value = String(m[0]).slice(groups.join('').length);
      // `Bearer $SERVICE_KEY` shows where the secret came from without showing it.
      if (keep > 0 && isReference(value)) return String(m[0]);
      if (value === MASK || skip?.(groups.join(''), value)) return String(m[0]);
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
  const key = secrets
    .map((s) => (s === undefined ? '' : typeof s === 'string' ? `s${s}` : `${s.anyLength ? 'a' : 's'}${s.value}`))
    .join('\u0000');
  if (lastMasker?.key !== key) lastMasker = { key, mask: knownValueMasker(secrets) };
  return lastMasker.mask(text);
}

// Preparing a masker derives every written and encoded form of each secret (about 0.15 ms for two secrets), and
// callers mask many texts with the same secrets: a journal of a thousand records restored at activation, the lines of
// a terminal, the cells of a result. The last one prepared is kept, in memory only, as the secrets themselves are.
let lastMasker: { key: string; mask: (text: string) => string } | undefined;

/** maskKnownValues with the secrets prepared once, for masking many texts (the cells of a result). */
export function knownValueMasker(secrets: readonly (KnownSecret | undefined)[]): (text: string) => string {
  const anywhere = new Map<string, boolean>();
  const add = (variant: string, everywhere: boolean): void => {
    anywhere.set(variant, anywhere.get(variant) === true || everywhere);
  };
  for (const secret of secrets) {
    if (secret === undefined) continue;
    const { value, anyLength } = typeof secret === 'string' ? { value: secret, anyLength: false } : secret;
    if (!value || (!anyLength && value.length < MIN_SECRET_LENGTH)) continue;
    for (const variant of writtenForms(value)) add(variant, anyLength || isDistinctive(variant));
    // Encodings (base64, hex) look like nothing else: masked wherever they appear, when long enough to be unique.
    for (const variant of encodedForms(value)) if (variant.length >= MIN_ENCODED_LENGTH) add(variant, true);
  }
  if (anywhere.size === 0) return (text) => text;
  const finders = [...anywhere].map(([variant, everywhere]) => finderFor(variant, everywhere));
  return (text) => {
    const ranges: Array<[number, number]> = [];
    for (const view of viewsOf(text)) {
      const found: Array<[number, number]> = [];
      for (const find of finders) find(view.text, found);
      for (const [start, end] of found)
        ranges.push(view.starts ? [view.starts[start], view.ends![end - 1]] : [start, end]);
    }
    return ranges.length === 0 ? text : replaceRanges(text, ranges);
  };
}

// Base64 is read in groups of three bytes, so a secret inside a longer encoded text (`admin:secret` as a Basic
// credential) is encoded differently for each of its three alignments: the characters that depend only on the
// secret are looked for in each. Shorter than this, an encoded form could match by chance.
const MIN_ENCODED_LENGTH = 8;

/** How a secret is written when quoted or escaped for a shell, SQL, JSON, HTML or a URL, and in upper case. */
function writtenForms(secret: string): string[] {
  const forms = new Set<string>([
    secret,
    secret.toUpperCase(),
    secret.toLowerCase(),
    encodeURIComponent(secret),
    encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    encodeURIComponent(secret).replace(/%20/g, '+'),
    JSON.stringify(secret).slice(1, -1),
    secret.replace(/'/g, "''"),
    secret.replace(/'/g, "\\'"),
    secret.replace(/'/g, "'\\''"),
    secret.replace(/'/g, `'"'"'`),
    secret.replace(/[\\"$`]/g, (c) => `\\${c}`),
    escapeHtml(secret, { "'": '&#39;', '"': '&quot;' }),
    escapeHtml(secret, { "'": '&#x27;', '"': '&#34;' }),
    escapeHtml(secret, { "'": '&apos;', '"': '&quot;' }),
    secret.replace(/[^A-Za-z0-9]/g, (c) => `&#x${c.codePointAt(0)!.toString(16)};`),
    secret.replace(/[^A-Za-z0-9]/g, (c) => `&#${c.codePointAt(0)};`),
  ]);
  return [...forms].filter((form) => form.length > 0);
}

function escapeHtml(text: string, quotes: Record<string, string>): string {
  return text.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : quotes[c]));
}

/** Base64 (standard and URL-safe, at each alignment) and hex (lower and upper case) of the secret's UTF-8 bytes. */
function encodedForms(secret: string): string[] {
  const bytes = utf8Bytes(secret);
  const forms: string[] = [];
  for (let pad = 0; pad < 3; pad++) {
    const encoded = base64([...new Array<number>(pad).fill(0), ...bytes]);
    // Characters wholly inside the secret's bits: from bit 8·pad to bit 8·(pad + length).
    const first = Math.ceil((8 * pad) / 6);
    const last = Math.floor((8 * (pad + bytes.length)) / 6);
    const core = encoded.slice(first, last);
    forms.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  forms.push(hex, hex.toUpperCase());
  return forms;
}

function utf8Bytes(text: string): number[] {
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 63));
    else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
    else bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 63), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
  }
  return bytes;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64(bytes: readonly number[]): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += BASE64[(n >> 18) & 63] + BASE64[(n >> 12) & 63];
    out += i + 1 < bytes.length ? BASE64[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? BASE64[n & 63] : '=';
  }
  return out;
}

type Finder = (text: string, ranges: Array<[number, number]>) => void;

// A distinctive variant is found anywhere; a word-like one only as a word of its own, so that the local password
// `postgres` leaves `postgresql://` and `postgres_fdw` readable. Letter case counts: the upper- and lower-case forms
// are variants of their own.
function finderFor(variant: string, everywhere: boolean): Finder {
  const escaped = escapeRegExp(variant);
  const re = new RegExp(everywhere ? escaped : `(?<![A-Za-z0-9_])${escaped}(?![A-Za-z0-9_])`, 'g');
  return (text, ranges) => {
    if (!text.includes(variant)) return;
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) ranges.push([m.index, m.index + m[0].length]);
  };
}

/** A text as some reader decodes it, with where each of its characters came from (none: the text itself). */
interface View {
  text: string;
  starts?: number[];
  ends?: number[];
}

const HTML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

// The text itself, and the text as a shell, a browser and a URL parser read it: a secret split by a `\` line
// continuation is one word to the shell, `&#x40;` is `@` in HTML, `%2f` is `/` in a URL, whatever else around it
// is escaped or not. Each decoded view is made only when the text has something to decode.
function viewsOf(text: string): View[] {
  const views: View[] = [{ text }];
  if (text.includes('\\\n') || text.includes('\\\r\n')) views.push(decodedView(text, /\\\r?\n/g, () => ''));
  if (text.includes('&'))
    views.push(
      decodedView(text, /&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-z]{2,4});/g, (m) => {
        const body = m.slice(1, -1);
        if (body[0] !== '#') return HTML_ENTITIES[body];
        const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
      }),
    );
  if (text.includes('%'))
    views.push(
      decodedView(text, /(?:%[0-9a-fA-F]{2})+/g, (m) => {
        try {
          return decodeURIComponent(m);
        } catch {
          return undefined;
        }
      }),
    );
  return views;
}

/** `text` with each match of `escape` (a global pattern) replaced by what `decode` gives (undefined: kept). */
function decodedView(text: string, escape: RegExp, decode: (match: string) => string | undefined): View {
  const parts: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  const keep = (to: number): void => {
    parts.push(text.slice(at, to));
    for (let i = at; i < to; i++) {
      starts.push(i);
      ends.push(i + 1);
    }
  };
  for (let m = escape.exec(text); m; m = escape.exec(text)) {
    const decoded = decode(m[0]);
    if (decoded === undefined) continue;
    keep(m.index);
    parts.push(decoded);
    for (let k = 0; k < decoded.length; k++) {
      starts.push(m.index);
      ends.push(m.index + m[0].length);
    }
    at = m.index + m[0].length;
  }
  keep(text.length);
  return { text: parts.join(''), starts, ends };
}

/** Replaces each range (merged where they overlap) by MASK. */
function replaceRanges(text: string, ranges: Array<[number, number]>): string {
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let out = '';
  let at = 0;
  for (const [start, end] of ranges) {
    if (end <= at) continue;
    if (start >= at) {
      out += text.slice(at, start) + MASK;
    }
    at = end;
  }
  return out + text.slice(at);
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
