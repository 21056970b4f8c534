// Judges what the Management API says of a project: each service of GET /v1/projects/{ref}/health, and the project's
// status from GET /v1/projects/{ref}, where RESTORING, UPGRADING, RESIZING, RESTARTING and the like mean maintenance,
// not an outage.
import type { CheckDetail, HealthState, JudgingRule } from '../../shared/health/healthView';
import { worstState } from '../../shared/health/healthView';
import type { AttemptVerdict } from './judgeEndpoint';

/** The services asked for in one call (the API is rate-limited): every one the runbook's endpoints stand on. */
export const HEALTH_SERVICES = ['auth', 'db', 'pooler', 'realtime', 'rest', 'storage'] as const;

export interface ServiceHealth {
  name: string;
  status: 'COMING_UP' | 'ACTIVE_HEALTHY' | 'UNHEALTHY';
  error?: string;
}

export interface ManagementObservation {
  services?: ServiceHealth[];
  /** The project's status (ACTIVE_HEALTHY, RESTORING, …). */
  projectStatus?: string;
  /** Why the API could not be asked: one sentence. */
  error?: string;
  /** A retry would change nothing: the token was refused, or the rate limit is spent. */
  final?: boolean;
}

const MAINTENANCE = new Set(['RESTORING', 'UPGRADING', 'RESIZING', 'RESTARTING', 'COMING_UP', 'PAUSING', 'GOING_DOWN']);
const DOWN = new Set(['INACTIVE', 'ACTIVE_UNHEALTHY', 'INIT_FAILED', 'REMOVED', 'RESTORE_FAILED', 'PAUSE_FAILED']);

export const MANAGEMENT_API_TABLE = 'Supabase Management API';

/** The maintenance the project's status means, or undefined when it is not in maintenance. */
export function maintenanceOf(projectStatus: string | undefined): string | undefined {
  return projectStatus && MAINTENANCE.has(projectStatus)
    ? `The project is ${projectStatus.toLowerCase().replace(/_/g, ' ')} (Management API status ${projectStatus}): maintenance, not an outage`
    : undefined;
}

export function judgeManagementApi(observation: ManagementObservation): AttemptVerdict {
  if (observation.error) {
    return {
      state: 'unknown',
      // Retrying a refused token changes nothing; a network failure may pass on a retry.
      passed: observation.final === true,
      summary: observation.error,
      rules: [],
      details: [],
    };
  }
  const states: HealthState[] = [];
  const details: CheckDetail[] = [];
  const rules: JudgingRule[] = [];
  const maintenance = maintenanceOf(observation.projectStatus);
  if (observation.projectStatus) {
    const state: HealthState = maintenance
      ? 'maintenance'
      : observation.projectStatus === 'ACTIVE_HEALTHY'
        ? 'healthy'
        : DOWN.has(observation.projectStatus)
          ? 'critical'
          : 'unknown';
    states.push(state);
    details.push({ label: 'project status', value: observation.projectStatus, state });
    rules.push({ table: MANAGEMENT_API_TABLE, row: 'project status', observed: observation.projectStatus });
  }
  for (const service of observation.services ?? []) {
    const state: HealthState =
      service.status === 'ACTIVE_HEALTHY'
        ? 'healthy'
        : service.status === 'COMING_UP'
          ? maintenance
            ? 'maintenance'
            : 'warning'
          : maintenance
            ? 'maintenance'
            : 'critical';
    states.push(state);
    details.push({
      label: service.name,
      value: `${service.status}${service.error ? `: ${service.error}` : ''}`,
      state,
    });
  }
  const state = states.length ? worstState(states) : 'unknown';
  const failing = details.filter((d) => d.state === 'critical' || d.state === 'warning');
  const summary = maintenance
    ? maintenance
    : failing.length
      ? failing.map((d) => `${d.label} ${d.value}`).join('; ')
      : `All ${observation.services?.length ?? 0} services healthy${observation.projectStatus ? `, project ${observation.projectStatus}` : ''}`;
  return { state, passed: true, summary, rules, details, ...(failing.length ? { topic: topicOf(failing) } : {}) };
}

function topicOf(failing: CheckDetail[]): 'connections' | 'auth' | 'storage' {
  if (failing.some((d) => d.label === 'auth')) return 'auth';
  if (failing.some((d) => d.label === 'storage')) return 'storage';
  return 'connections';
}
