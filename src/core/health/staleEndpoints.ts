// Monitoring Endpoints rows that cannot work as written against Supabase (a storage root that does not exist, a REST
// root that answers only privileged keys): runbook problems, shown in the Problems panel and by `check`, so the
// health panel never reports them as the project's ill health.
import type { Runbook } from '../model/types';
import { routeFor } from './endpointRoutes';

export interface StaleEndpointProblem {
  line: number;
  severity: 'warning';
  code: 'health-endpoint-stale';
  message: string;
}

export function staleEndpointProblems(runbook: Runbook): StaleEndpointProblem[] {
  const table = runbook.typed.monitoringEndpoints;
  if (!table) return [];
  const problems: StaleEndpointProblem[] = [];
  for (const row of table.rows) {
    const route = routeFor(row.endpoint);
    if (route.stale)
      problems.push({
        line: row.line,
        severity: 'warning',
        code: 'health-endpoint-stale',
        message: `Monitoring Endpoints: ${route.stale}`,
      });
  }
  return problems;
}
