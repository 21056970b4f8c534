// Runs a runbook SQL block on a linked project: placeholders, safety gate, password, run, results.
import * as vscode from 'vscode';
import type { RunbookIndex } from '../runbooks/runbookIndex';
import type { ProjectService } from '../projects/projectService';
import { isPublicPassword, type SecretStore } from '../secrets/secretStore';
import type { PlaceholderPrompt } from '../placeholders/placeholderPrompt';
import { placeholderValuesView, type ResultsPanel } from './resultsPanel';
import type { RunnerRegistry } from '../../node/pg/runnerRegistry';
import {
  placeholderProblems,
  prepareSqlRun,
  sqlPlaceholders,
  type PreparedRun,
  type PreparedStatement,
} from '../../core/sql/prepareSqlRun';
import { SecretMask } from '../../core/secrets/secretMask';
import type { SqlRisk } from '../../core/sql/classifyStatement';
import { projectLabel, type LinkedProject } from '../../core/projects/linkedProject';
import { judgeDuration } from '../../core/sql/queryTargets';
import { placeholderValueProblem } from '../../core/sql/placeholderValueProblem';
import { caretExcerpt } from '../../core/sql/errorExcerpt';
import { toDisplayCell } from '../../core/sql/displayValue';
import type { RiskGate } from '../safety/confirmRisk';
import { resolveSnippetTarget, type SnippetTarget } from '../commands/snippetTarget';
import { pickProject } from '../projects/pickProject';
import type { ResultSetView, ErrorView, RunHeader, ToWebview } from '../../shared/resultsMessages';
import type { RunOutcome } from '../../node/pg/pgRunner';
import { readSettings } from '../settings';
import type { RunJournal } from '../../core/journal/runJournal';

export interface SqlRunReport {
  outcome: RunOutcome;
  project: string;
  statements: PreparedStatement[];
}

export class SqlSnippetRunner {
  private runId = 0;
  private readonly inFlight = new Map<number, AbortController>();

  constructor(
    private readonly deps: {
      index: RunbookIndex;
      projects: ProjectService;
      secrets: SecretStore;
      prompt: PlaceholderPrompt;
      results: ResultsPanel;
      runners: RunnerRegistry;
      journal: RunJournal;
      gate: RiskGate;
      log: vscode.LogOutputChannel;
    },
  ) {}

  cancel(runId?: number): void {
    for (const [id, controller] of this.inFlight) if (runId === undefined || id === runId) controller.abort();
  }

  get running(): boolean {
    return this.inFlight.size > 0;
  }

  async runFromCommand(args: unknown[], choose: boolean): Promise<SqlRunReport | undefined> {
    if (!vscode.workspace.isTrusted) {
      const manage = 'Manage Workspace Trust';
      const choice = await vscode.window.showWarningMessage(
        'Runbook snippets do not run in Restricted Mode. Trust this workspace to run SQL.',
        manage,
      );
      if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
      return undefined;
    }
    const target = await resolveSnippetTarget(this.deps.index, args);
    if (!target) return undefined;
    if (target.snippet.category !== 'sql') {
      void vscode.window.showWarningMessage(`This block is ${target.snippet.language || 'plain text'}, not SQL.`);
      return undefined;
    }
    await this.deps.projects.ready();
    const project = choose
      ? await pickProject(this.deps.projects, 'Run SQL on which project?')
      : this.deps.projects.active;
    if (!project) return undefined;
    if (!project.db) {
      void vscode.window
        .showErrorMessage(
          `Project "${project.name}" has no database connection. Add "db" to it in the setting runbook.projects.`,
          'Open Settings',
        )
        .then((c) => {
          if (c) void vscode.commands.executeCommand('workbench.action.openSettings', 'runbook.projects');
        });
      return undefined;
    }
    return this.run(target, project);
  }

  /**
   * Runs a snippet on the named project, as Run on… would after that pick: the health panel runs a playbook's
   * diagnosis on the project whose check failed. The same trust check, gate, prompts and read-only default apply.
   */
  async runOnProject(uri: vscode.Uri, snippetIndex: number, projectName: string): Promise<SqlRunReport | undefined> {
    await this.deps.projects.ready();
    const project = this.deps.projects.all.find((p) => p.name === projectName);
    if (!project?.db) {
      void vscode.window.showWarningMessage(`Project "${projectName}" has no database connection configured.`);
      return undefined;
    }
    if (!vscode.workspace.isTrusted) return this.runFromCommand([uri, snippetIndex], false);
    const target = await resolveSnippetTarget(this.deps.index, [uri, snippetIndex]);
    return target?.snippet.category === 'sql' ? this.run(target, project) : undefined;
  }

  private async run(target: SnippetTarget, project: LinkedProject): Promise<SqlRunReport | undefined> {
    const { snippet, runbook, uri } = target;
    const label = projectLabel(project);
    // Refused before any value is asked: no value could make these run.
    const structural = placeholderProblems(snippet.body, snippet.bodyStartLine);
    if (structural.length) {
      void vscode.window.showErrorMessage(`Cannot run "${snippet.label}": ${structural.join(' ')}`);
      return undefined;
    }
    const questions = sqlPlaceholders(snippet.body).map((p) => ({
      name: p.name,
      hint: p.secret
        ? 'a secret: sent as a bound parameter, masked in the results, never stored'
        : p.kind === 'literal'
          ? 'sent as a bound parameter, never spliced into the SQL'
          : p.namePart
            ? 'used as part of a quoted table or column name'
            : 'used as a table or column name',
      // The binder's rule for each use, so a value accepted here is never refused after the last question.
      validate: (v: string) => placeholderValueProblem(p.namePart ? 'name-part' : p.kind, v),
      secret: p.secret,
    }));
    const values = questions.length
      ? await this.deps.prompt.ask(uri, questions, `Run "${snippet.label}"`)
      : new Map<string, string>();
    if (!values) return undefined;

    const prepared = prepareSqlRun(snippet.body, snippet.bodyStartLine, values);
    if (prepared.problems.length) {
      void vscode.window.showErrorMessage(`Cannot run "${snippet.label}": ${prepared.problems.join(' ')}`);
      return undefined;
    }
    const mode = prepared.risk === 'read' ? 'read' : 'write';
    if (mode === 'write') {
      const risky = prepared.statements.filter((s) => s.risk !== 'read');
      const ok = await this.deps.gate.confirm(project, {
        headline: `This SQL block ${HEADLINES[prepared.risk]}`,
        details: [
          ...risky.map((s) => `Line ${s.line + 1}: ${s.reason ?? s.risk} — ${firstLine(s.original)}`),
          '',
          prepared.risk === 'admin'
            ? 'It runs in one transaction: if any statement fails, no change to the data is kept; effects outside the database or on other sessions cannot be undone.'
            : 'It runs in one transaction: if any statement fails, nothing is changed.',
        ],
        action: 'Run as Write',
      });
      if (!ok) return undefined;
    }

    let password = await this.deps.secrets.databasePassword(project);
    if (password === undefined) return undefined;
    const settings = readSettings();
    const runId = ++this.runId;
    const header: RunHeader = {
      runId,
      title: snippet.label,
      project: label,
      production: project.production,
      mode,
      source: `${vscode.workspace.asRelativePath(uri)}:${snippet.startLine + 1}`,
      placeholders: placeholderValuesView(questions, values),
    };
    const controller = new AbortController();
    this.inFlight.set(runId, controller);
    void this.deps.results.show({ type: 'running', header, statementCount: prepared.statements.length });
    const started = new Date();
    let outcome: RunOutcome;
    try {
      outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `$(database) Running "${snippet.label}" on ${label}` },
        async () => {
          for (let attempt = 0; ; attempt++) {
            const runner = this.deps.runners.get(project, password!);
            const result = await runner.run(
              prepared.statements.map((s) => ({ text: s.text, values: s.values, line: s.line })),
              {
                mode,
                statementTimeoutMs: settings.sql.statementTimeoutSeconds * 1000,
                maxRows: settings.sql.maxRows,
                signal: controller.signal,
              },
            );
            if (result.error?.kind !== 'auth' || attempt > 0) return result;
            // Wrong or missing password: forget the stored one and ask once.
            await this.deps.secrets.delete(project, 'dbPassword');
            void this.deps.runners.forget(project);
            const again = await this.deps.secrets.databasePassword(project, {
              forceAsk: true,
              reason: `Postgres refused the password for ${project.db!.user}.`,
            });
            if (again === undefined) return result;
            password = again;
          }
        },
      );
    } finally {
      this.inFlight.delete(runId);
    }
    if (outcome.status === 'ok' && password !== undefined && !(project.isLocal && project.source === 'local stack')) {
      await this.deps.secrets.store(project, 'dbPassword', password);
    }

    // Masked once, here: the panel, the log and the command's return value are all built from this copy.
    const mask = new SecretMask(prepared.secretValues, {
      password: password !== undefined && !isPublicPassword(password, project) ? password : undefined,
    });
    const masked = mask.outcome(outcome);
    const sets: ResultSetView[] = masked.results.map((r) => {
      const statement = prepared.statements[r.statementIndex];
      const view: ResultSetView = {
        statementIndex: r.statementIndex,
        statement: mask.value(firstLine(statement.original)),
        command: r.command,
        columns: r.columns.map((c) => ({ name: c.name, typeName: c.typeName })),
        rows: r.rows.map((row) => row.map(toDisplayCell)),
        rowCount: r.rowCount,
        capped: r.capped,
        maxRows: settings.sql.maxRows,
        durationMs: r.durationMs,
      };
      const verdict = r.columns.length
        ? judgeDuration(statement.original, r.durationMs, runbook.typed.databaseQueryTargets)
        : undefined;
      if (verdict) view.target = verdict;
      return view;
    });
    this.deps.journal.record({
      id: `sql-${runId}-${started.getTime()}`,
      startedAt: started.toISOString(),
      project: project.name,
      kind: 'sql',
      // The SQL as written (placeholders, not values); the journal masks known secrets and credentials itself.
      command: prepared.statements.map((s) => s.original).join(';\n'),
      exitCode: masked.status === 'ok' ? 0 : 1,
      durationMs: Math.round(masked.totalMs),
      snippetId: snippet.id,
      runbookPath: vscode.workspace.asRelativePath(uri),
    });
    this.deps.log.info(
      `SQL "${snippet.label}" on ${label} (${mode}): ${masked.status} in ${masked.totalMs.toFixed(0)} ms${masked.error ? ` — ${masked.error.title}` : ''}`,
    );

    // Recorded first: the run happened whatever becomes of the panel.
    const finished: Extract<ToWebview, { type: 'finished' }> = {
      type: 'finished',
      header,
      status: masked.status,
      sets,
      totalMs: masked.totalMs,
      committed: masked.committed,
    };
    if (masked.status === 'cancelled') finished.notice = cancelNotice(masked.totalMs, prepared);
    else if (masked.error) finished.error = errorView(masked, prepared.statements, mask);
    await this.deps.results.show(finished);
    return {
      outcome: masked,
      project: project.name,
      statements: prepared.statements.map((s) => ({ ...s, values: s.values.map((v) => mask.value(v)) })),
    };
  }
}

const HEADLINES: Record<SqlRisk, string> = {
  read: 'only reads',
  write: 'writes to the database',
  schema: 'changes the schema',
  admin: 'calls administrative functions or acts outside the database',
};

/** What a user-requested cancel left behind, for the panel's notice. */
function cancelNotice(totalMs: number, prepared: PreparedRun): string {
  const after = totalMs < 1000 ? `${Math.round(totalMs)} ms` : `${(totalMs / 1000).toFixed(1)} s`;
  if (prepared.risk === 'read') return `Cancelled by you after ${after}; nothing was changed.`;
  if (prepared.risk === 'admin')
    return `Cancelled by you after ${after}; the transaction was rolled back, but effects outside the database or on other sessions that already happened are not undone.`;
  return `Cancelled by you after ${after}; the transaction was rolled back, so nothing was changed.`;
}

function firstLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('--'));
  const first = lines[0] ?? text.trim();
  return lines.length > 1 ? `${first} …` : first;
}

/** The panel's view of an error, from the masked outcome. */
function errorView(outcome: RunOutcome, statements: PreparedStatement[], mask: SecretMask): ErrorView {
  const e = outcome.error!;
  const view: ErrorView = { kind: e.kind, title: e.title, message: e.message };
  for (const key of ['code', 'position', 'detail', 'hint', 'advice'] as const)
    if (e[key] !== undefined) view[key] = String(e[key]);
  if (e.statementIndex !== undefined) {
    view.statementIndex = e.statementIndex;
    const statement = statements[e.statementIndex];
    // The SQL as bound, not the outcome: a credential written into the runbook's SQL is still not shown.
    if (statement) view.excerpt = mask.text(caretExcerpt(statement.text, e.position));
  }
  return view;
}
