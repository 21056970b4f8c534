// The forms a secret takes in what the journal, the SQL results and the terminal output record: 160 forms of a known
// secret (8 values × 20 encodings and quotings) and 160 of an unknown one (10 values × 16 ways commands and configs
// write credentials). Each case says what must not survive masking.

export interface SecretCase {
  /** Short description: value and form. */
  label: string;
  /** The text as it would be recorded. */
  text: string;
  /** Substrings that must not be in the masked text (the secret as written there). */
  mustNotContain: string[];
  /** For known-secret cases: the secret the masker is told about. */
  secret?: string;
}

export const KNOWN_SECRETS = [
  'hunter2!x',
  "Sup3r'Secret/Pass@2024",
  'sb_secret_AbCdEf0123456789',
  'p@ss w0rd&<tag>"q"',
  'correcthorsebatterystaple',
  'Zx9$kL2#mN8%qR4^',
  'token-7f3a9c1e5b2d4f60',
  'ÄpfelBäume42€',
];

const utf8 = (s: string): number[] => [...new TextEncoder().encode(s)];
const base64 = (bytes: number[]): string => btoa(String.fromCharCode(...bytes));
const hex = (s: string): string =>
  utf8(s)
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');
const html = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const htmlNumeric = (s: string): string => s.replace(/[&<>"'/@]/g, (c) => `&#x${c.charCodeAt(0).toString(16)};`);
const half = (s: string, at = 0.5): [string, string] => {
  const k = Math.max(1, Math.floor([...s].length * at));
  return [[...s].slice(0, k).join(''), [...s].slice(k).join('')];
};

/** 20 forms of each known secret. */
export function knownSecretCases(): SecretCase[] {
  const cases: SecretCase[] = [];
  for (const secret of KNOWN_SECRETS) {
    const add = (form: string, text: string, ...mustNotContain: string[]): void => {
      cases.push({ label: `${JSON.stringify(secret)} ${form}`, text, mustNotContain, secret });
    };
    const b64 = base64(utf8(secret));
    const [first, second] = half(secret);
    const [third, rest] = half(secret, 0.34);
    add('as written', `echo ${secret}`, secret);
    add('in double quotes', `curl -H "X-Key: ${secret}" https://x`, secret);
    add('URL-encoded', `psql postgresql://app:${encodeURIComponent(secret)}@db:5432/app`, encodeURIComponent(secret));
    add(
      'JSON-escaped',
      `curl -d '${JSON.stringify({ value: secret })}' https://x`,
      JSON.stringify(secret).slice(1, -1),
    );
    add('base64', `echo ${b64} | base64 -d`, b64.replace(/=+$/, ''));
    const userB64 = base64(utf8(`admin:${secret}`));
    add('base64 after a prefix', `curl -H "X-Basic: ${userB64}" https://x`, userB64.slice(9, -3));
    const url64 = b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    add('base64url', `https://x/cb?state=${url64}`, url64);
    add('hex', `echo ${hex(secret)} | xxd -r -p`, hex(secret));
    add('upper-case hex', `printf '${hex(secret).toUpperCase()}'`, hex(secret).toUpperCase());
    add('bytea hex', `select '\\x${hex(secret)}'::bytea`, hex(secret));
    add('upper-case', `echo ${secret.toUpperCase()}`, secret.toUpperCase());
    add('HTML entities', `<td>${html(secret)}</td>`, html(secret));
    add('HTML numeric entities', `<td>${htmlNumeric(secret)}</td>`, htmlNumeric(secret));
    add('split by a \\ continuation', `echo ${first}\\\n${second} | tee x`, secret, `${first}\\\n${second}`);
    add('split by a \\ continuation early', `export X=${third}\\\n${rest}`, `${third}\\\n${rest}`);
    add('in SQL quotes', `select '${secret.replace(/'/g, "''")}'`, secret.replace(/'/g, "''"));
    add("in shell '\\'' quotes", `echo '${secret.replace(/'/g, `'\\''`)}'`, secret.replace(/'/g, `'\\''`));
    const dq = secret.replace(/[\\"$`]/g, (c) => `\\${c}`);
    add('in shell double quotes, escaped', `echo "${dq}"`, dq);
    const lowerPercent = encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
    add('percent-encoded, lower-case escapes', `curl 'https://x/?q=${lowerPercent}'`, lowerPercent);
    const form = encodeURIComponent(secret).replace(/%20/g, '+');
    add('form-encoded', `curl -d 'user=app&pw=${form}' https://x`, form);
  }
  return cases;
}

export const UNKNOWN_SECRETS = [
  'hunter2',
  'S3cr3t!pass',
  'p@ss/w0rd',
  "it's-a-secret",
  'Zx9kL2mN8qR4',
  'sk_live_51HxyzABCDEFGHIJ',
  '0a1b2c3d4e5f',
  'Tr0ub4dor&3',
  'xyzzy_42',
  'pa/ss@word',
];

const shellQuoted = (v: string): string => `'${v.replace(/'/g, `'\\''`)}'`;

/** 16 ways of writing each unknown secret. */
export function unknownSecretCases(): SecretCase[] {
  const cases: SecretCase[] = [];
  for (const value of UNKNOWN_SECRETS) {
    const add = (form: string, text: string, written = value): void => {
      cases.push({ label: `${JSON.stringify(value)} ${form}`, text, mustNotContain: [written] });
    };
    const libpq = `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    const sql = value.replace(/'/g, "''");
    add('YAML password:', `password: ${value}`);
    add('YAML indented, quoted', `db:\n  db_password: "${value}"\n  host: db`);
    add('YAML single-quoted secret_key', `  secret_key: '${sql}'`, sql);
    add('libpq password = …', `psql "host=db port=5432 password = ${libpq} dbname=app"`, libpq.slice(1, -1));
    add("libpq password='…'", `PGSERVICE=x psql "password=${libpq} host=db"`, libpq.slice(1, -1));
    add(
      'JSON db_password',
      `{"db_password": ${JSON.stringify(value)}, "host": "db"}`,
      JSON.stringify(value).slice(1, -1),
    );
    add(
      'JSON service_key',
      `curl -d '{"service_key":${JSON.stringify(value).replace(/'/g, `'\\''`)}}' https://x`,
      JSON.stringify(value).slice(1, -1).replace(/'/g, `'\\''`),
    );
    add('sshpass -p', `sshpass -p ${shellQuoted(value)} ssh ops@db`, shellQuoted(value).slice(1, -1));
    add('sshpass -p glued', `sshpass -p${shellQuoted(value)} scp a ops@db:/tmp`, shellQuoted(value).slice(1, -1));
    add(
      'Cookie header',
      `curl -H 'Cookie: session=${value.replace(/'/g, `'\\''`)}; theme=dark' https://x`,
      value.replace(/'/g, `'\\''`),
    );
    add('X-Auth-Token header', `X-Auth-Token: ${value}`);
    add('URL password', `psql postgresql://app:${value}@db.example.com:5432/app`);
    add('URL password, https', `curl "https://admin:${value}@example.com/x"`);
    add('SQL PASSWORD', `ALTER ROLE app WITH PASSWORD '${sql}';`, sql);
    add('mysql -p', `mysql -uapp -p${shellQuoted(value)} app`, shellQuoted(value).slice(1, -1));
    add('curl --cookie', `curl --cookie ${shellQuoted(`sid=${value}`)} https://x`, value.replace(/'/g, `'\\''`));
  }
  return cases;
}
