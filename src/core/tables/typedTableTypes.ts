import type { Quantity, Comparator } from './quantity';

export interface TypedRow {
  /** 0-based line of the row in the runbook. */
  line: number;
}

export interface TypedTable<Row> {
  tableIndex: number;
  line: number;
  title: string;
  rows: Array<Row & TypedRow>;
}

export interface CriticalMetric {
  metric: string;
  warning: Quantity;
  critical: Quantity;
  action: string;
}

export interface SeverityDefinition {
  /** "P1" */
  level: string;
  /** "Critical" */
  name: string;
  definition: string;
  responseTime: Quantity;
  examples: string[];
}

export interface ExpectedResponse {
  text: string;
  status?: number;
  json?: Record<string, unknown>;
}

export interface MonitoringEndpoint {
  endpoint: string;
  purpose: string;
  expected: ExpectedResponse;
}

export interface HealthCheckFrequency {
  check: string;
  interval: Quantity;
  timeout: Quantity;
  retries: number;
}

export type RollbackUrgency =
  | { kind: 'immediate' }
  | { kind: 'within'; ms: number }
  | { kind: 'fixForward'; ifUnderMs?: number }
  | { kind: 'other' };

export interface RollbackRule {
  condition: string;
  action: string;
  /** Set when the condition is measurable ("P95 latency > 5s"); a judgement call has none. */
  trigger?: { metric: string; comparator: Comparator; threshold: Quantity };
  urgency: RollbackUrgency;
}

export interface SecretEntry {
  name: string;
  purpose: string;
  rotation: Quantity;
}

export interface ApiPerformanceTarget {
  endpoint: string;
  p50: Quantity;
  p95: Quantity;
  p99: Quantity;
}

export interface DatabaseQueryTarget {
  queryType: string;
  target: Quantity;
  alertThreshold: Quantity;
}

export interface EmergencyContact {
  role: string;
  contact: string;
  escalation: Quantity;
}

export interface FrontendBudgets {
  snippetIndex: number;
  line: number;
  timings: Record<string, number>;
  sizes: Record<string, number>;
}

export interface TableProblem {
  line: number;
  tableIndex?: number;
  column?: string;
  message: string;
}

export interface TypedTables {
  criticalMetrics?: TypedTable<CriticalMetric>;
  severities?: TypedTable<SeverityDefinition>;
  monitoringEndpoints?: TypedTable<MonitoringEndpoint>;
  healthCheckFrequency?: TypedTable<HealthCheckFrequency>;
  rollbackDecisionMatrix?: TypedTable<RollbackRule>;
  secretsInventory?: TypedTable<SecretEntry>;
  apiPerformanceTargets?: TypedTable<ApiPerformanceTarget>;
  databaseQueryTargets?: TypedTable<DatabaseQueryTarget>;
  emergencyContacts?: TypedTable<EmergencyContact>;
  frontendBudgets?: FrontendBudgets;
  problems: TableProblem[];
}

export type TypedTableKind = Exclude<keyof TypedTables, 'frontendBudgets' | 'problems'>;
