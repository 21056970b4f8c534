// Recognises the runbook's tables by their headers and validates their rows, so later features read
// thresholds, intervals and targets from the document instead of from settings.
import type * as z from '../schema/zod';
import type { TypedTables, TypedTable, TableProblem, TypedTableKind } from './typedTableTypes';
import {
  criticalMetricRow,
  severityRow,
  monitoringEndpointRow,
  healthCheckFrequencyRow,
  rollbackRuleRow,
  secretRow,
  apiPerformanceRow,
  databaseQueryRow,
  emergencyContactRow,
  frontendBudgetsSchema,
} from './rowSchemas';

/** What a table of the document gives to be typed: the model's `Table` has this shape. */
export interface SourceTable {
  index: number;
  line: number;
  title: string;
  header: readonly string[];
  rows: ReadonlyArray<{ cells: readonly string[]; line: number }>;
}

/** What a fenced block gives for the frontend budgets: the model's `Snippet` has this shape. */
export interface SourceBlock {
  index: number;
  language: string;
  body: string;
  startLine: number;
  bodyStartLine: number;
}

interface TableKindSpec {
  kind: TypedTableKind;
  /** Column keys in camelCase, matched against the header after normalisation. */
  columns: string[];
  schema: z.ZodMiniType<unknown, Record<string, string>>;
}

const SPECS: TableKindSpec[] = [
  {
    kind: 'criticalMetrics',
    columns: ['metric', 'warningThreshold', 'criticalThreshold', 'action'],
    schema: criticalMetricRow,
  },
  { kind: 'severities', columns: ['severity', 'definition', 'responseTime', 'examples'], schema: severityRow },
  { kind: 'monitoringEndpoints', columns: ['endpoint', 'purpose', 'expectedResponse'], schema: monitoringEndpointRow },
  {
    kind: 'healthCheckFrequency',
    columns: ['check', 'interval', 'timeout', 'retries'],
    schema: healthCheckFrequencyRow,
  },
  { kind: 'rollbackDecisionMatrix', columns: ['condition', 'action'], schema: rollbackRuleRow },
  { kind: 'secretsInventory', columns: ['secret', 'purpose', 'rotationFrequency'], schema: secretRow },
  { kind: 'apiPerformanceTargets', columns: ['endpoint', 'p50', 'p95', 'p99'], schema: apiPerformanceRow },
  { kind: 'databaseQueryTargets', columns: ['queryType', 'target', 'alertThreshold'], schema: databaseQueryRow },
  { kind: 'emergencyContacts', columns: ['role', 'contact', 'escalationTime'], schema: emergencyContactRow },
];

function headerKey(cell: string): string {
  return cell
    .replace(/[`*_]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''));
}

const SPEC_BY_SIGNATURE = new Map(SPECS.map((s) => [[...s.columns].sort().join('|'), s]));

export function tableKindOf(header: readonly string[]): TypedTableKind | undefined {
  return SPEC_BY_SIGNATURE.get(header.map(headerKey).sort().join('|'))?.kind;
}

export function recogniseTables(tables: readonly SourceTable[], snippets: readonly SourceBlock[]): TypedTables {
  const typed: TypedTables = { problems: [] };
  for (const table of tables) {
    const keys = table.header.map(headerKey);
    const spec = SPEC_BY_SIGNATURE.get([...keys].sort().join('|'));
    if (!spec || typed[spec.kind]) continue;
    const result: TypedTable<unknown> = { tableIndex: table.index, line: table.line, title: table.title, rows: [] };
    for (const row of table.rows) {
      const input: Record<string, string> = {};
      keys.forEach((key, i) => {
        input[key] = row.cells[i] ?? '';
      });
      const parsed = spec.schema.safeParse(input);
      if (parsed.success) {
        result.rows.push({ ...(parsed.data as object), line: row.line });
      } else {
        for (const issue of parsed.error.issues) {
          const column =
            typeof issue.path[0] === 'string'
              ? (table.header[keys.indexOf(issue.path[0])] ?? issue.path[0])
              : undefined;
          const problem: TableProblem = {
            line: row.line,
            tableIndex: table.index,
            message: `${table.title}: ${column ? `${column.trim()} ` : ''}${issue.message}`,
          };
          if (column) problem.column = column.trim();
          typed.problems.push(problem);
        }
      }
    }
    (typed as unknown as Record<string, unknown>)[spec.kind] = result;
  }
  readFrontendBudgets(snippets, typed);
  return typed;
}

function readFrontendBudgets(snippets: readonly SourceBlock[], typed: TypedTables): void {
  for (const snippet of snippets) {
    if (snippet.language !== 'json' || !/"(timings|sizes)"\s*:/.test(snippet.body)) continue;
    let value: unknown;
    try {
      value = JSON.parse(snippet.body);
    } catch (error) {
      typed.problems.push({
        line: snippet.bodyStartLine,
        message: `Frontend budgets: the JSON does not parse (${(error as Error).message})`,
      });
      continue;
    }
    const parsed = frontendBudgetsSchema.safeParse(value);
    if (!parsed.success) {
      typed.problems.push({
        line: snippet.bodyStartLine,
        message: `Frontend budgets: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'value'} ${i.message}`).join('; ')}`,
      });
      continue;
    }
    typed.frontendBudgets = {
      snippetIndex: snippet.index,
      line: snippet.startLine,
      timings: parsed.data.timings ?? {},
      sizes: parsed.data.sizes ?? {},
    };
    return;
  }
}
