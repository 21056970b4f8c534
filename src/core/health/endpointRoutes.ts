// What Supabase's gateway really serves, for the runbook's Monitoring Endpoints rows. A row that cannot work as
// written is probed at the route that does (and reported as a runbook problem, not as project ill health).

export interface EndpointRoute {
  /** The path as the runbook writes it, or its path part when the row is a full URL. */
  written: string;
  /** What the probe requests. */
  probed: string;
  /** Set when `probed` differs from `written`, or when the row is better checked another way: one sentence. */
  stale?: string;
  /**
   * The row cannot be probed with a public key at all: the panel judges it by another check instead (the database
   * check for the REST root). The probe is not made.
   */
  judgedBy?: 'database';
}

/** The path of a row's endpoint: a full URL gives its path and query. */
export function endpointPath(endpoint: string): string {
  if (/^https?:\/\//i.test(endpoint)) {
    try {
      const url = new URL(endpoint);
      return `${url.pathname}${url.search}`;
    } catch {
      return endpoint;
    }
  }
  return endpoint;
}

/** Storage answers these without a bucket; the Supabase CLI probes `/storage/v1/version`. */
export const STORAGE_HEALTH_ROUTE = '/storage/v1/version';

export function routeFor(endpoint: string): EndpointRoute {
  const written = endpointPath(endpoint);
  const path = written.split('?')[0].replace(/\/+$/, '');
  if (path === '/storage/v1') {
    return {
      written,
      probed: STORAGE_HEALTH_ROUTE,
      stale: `Storage has no root route: \`${written}\` answers 404 even when Storage is up. The panel probes \`${STORAGE_HEALTH_ROUTE}\` (what the Supabase CLI checks); write that route in the table.`,
    };
  }
  if (path === '/rest/v1') {
    return {
      written,
      probed: written,
      judgedBy: 'database',
      stale: `The \`/rest/v1/\` root (the API description) answers only privileged keys on hosted projects, and the panel never uses the service role key. Database connectivity is judged by the database check (\`select 1\`); to probe the REST API, name a table the anon key may read, such as \`/rest/v1/<table>?select=id&limit=1\`.`,
    };
  }
  return { written, probed: written };
}

/** Whether the row is the team's own `health` Edge Function, which answers the runbook's health JSON. */
export function isHealthFunction(endpoint: string): boolean {
  return /^\/functions\/v1\/health\/?$/.test(endpointPath(endpoint).split('?')[0]);
}
