// The names that say a value is a secret: of a placeholder in a runbook snippet (`<db_password>`) and of a variable
// in a command or an environment (PGPASSWORD, DB_PASS). One home for both rules, shared by SQL, the terminal runner,
// the journal and the risk rules.

// `<new_key>`, `<service_role_key>`, `<access_token>`, `<db_password>`, `<webhook_secret>`, `<apikey>`, `<jwt>`,
// `<passphrase>`, `<credentials>`, and connection strings, which carry a password: `<db_url>`, `<database_url>`,
// `<connection_string>`, `<dsn>`. Short words (`pass`, `pw`, `pwd`, `dsn`) and `key` count only as a whole part
// of the name, so `<keyword>`, `<key_name>` and `<passenger_id>` stay plain values.
const SECRET_NAME = new RegExp(
  [
    'token',
    'secret',
    'passw(?:or)?d',
    'passphrase',
    'credential',
    'api_?key',
    'private_?key',
    'service_?role',
    'jwt',
    '(?:db|database|postgres|pg)[_-]?(?:url|uri)',
    'conn(?:ection)?[_-]?(?:string|str|uri|url)',
    '(?:^|[_-])(?:pass|pw|pwd|dsn)(?:[_-]|$)',
    '(?:^|[_-])key$',
  ].join('|'),
  'i',
);

/**
 * Whether the placeholder holds a secret. Its value is asked for masked, never stored or offered again, and reaches
 * the command through an environment variable (see `secretVariableName`), never as text in the command line.
 */
export function isSecretPlaceholder(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** The environment variable that carries a secret placeholder's value: `<new_key>` gives RUNBOOK_SECRET_NEW_KEY. */
export function secretVariableName(name: string): string {
  return `RUNBOOK_SECRET_${name
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')}`;
}

const SECRET_VARIABLE = /((^|_)(PASS|PW|PWD)|PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|(^|_)KEY|APIKEY|CREDENTIALS?)$/i;

/** Whether a variable's name says its value is a secret (PGPASSWORD, DB_PASS, OPENAI_API_KEY; not PWD). */
export function isSecretName(name: string): boolean {
  return SECRET_VARIABLE.test(name) && name !== 'PWD';
}
