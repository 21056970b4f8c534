// The health panel's protocol: what the extension sends its page (a snapshot of every watched project), what the
// page asks for (a playbook, a diagnosis run, a refresh) and what it keeps across a window reload. The page names a
// project and a check; the extension looks up the playbook itself, never trusting a path from the page. Plain JSON,
// and no key, token or password is ever in it.
import type { PanelProtocol } from '../webview/protocol';
import type { ProjectHealthView } from './healthView';

/** The panel's view type: package.json activates the extension on `onWebviewPanel:runbook.healthPanel`. */
export const HEALTH_PANEL_VIEW_TYPE = 'runbook.healthPanel';

export interface HealthSnapshot {
  projects: ProjectHealthView[];
  /** The runbook the checks and thresholds come from. */
  runbook?: string;
  watching: boolean;
  paused: boolean;
  /** Epoch ms when the snapshot was taken, so "checked 12 s ago" reads right. */
  takenAt: number;
  /** A project to scroll to and focus (opened from its status bar or view entry). */
  focus?: string;
}

export type ToHealthPage = { type: 'snapshot'; snapshot: HealthSnapshot };

export type FromHealthPage =
  | { type: 'openPlaybook'; project: string; checkId: string }
  | { type: 'runDiagnosis'; project: string; checkId: string }
  | { type: 'openRule'; line: number }
  | { type: 'refresh' }
  | { type: 'tailLogs'; project: string };

export interface HealthState {
  version: 1;
  snapshot: HealthSnapshot;
}

export interface HealthProtocol extends PanelProtocol {
  toPage: ToHealthPage;
  fromPage: FromHealthPage;
  state: HealthState;
}

/** A saved state read back, or undefined when this version did not write it. */
export function readHealthState(value: unknown): HealthState | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const state = value as { version?: unknown; snapshot?: unknown };
  if (state.version !== 1 || !state.snapshot || typeof state.snapshot !== 'object') return undefined;
  const snapshot = state.snapshot as Partial<HealthSnapshot>;
  const valid =
    Array.isArray(snapshot.projects) &&
    typeof snapshot.takenAt === 'number' &&
    snapshot.projects.every(
      (p) =>
        p &&
        typeof p === 'object' &&
        typeof p.project === 'string' &&
        typeof p.label === 'string' &&
        typeof p.state === 'string' &&
        Array.isArray(p.checks) &&
        Array.isArray(p.sparkline) &&
        Array.isArray(p.notes) &&
        Array.isArray(p.targets),
    );
  return valid ? (value as HealthState) : undefined;
}
