// Runs a runbook SQL block on a linked project, in five steps that each read on their own:
//   1. placeholders: ask for the values (problems no value can fix are refused before anything is asked);
//   2. verdict: PostgreSQL's parser splits, binds and judges the block; the project's catalog judges every
//      function, operator and view it reaches (a statement the parser rejects is refused with its message);
//   3. confirmation: anything that is not a read asks first, production wants its ref typed;
//   4. execution: on the project's pool, each read statement in its own READ ONLY transaction;
//   5. bookkeeping: the password kept once it worked, secrets masked, the journal, the log, the results panel.
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
import { riskiest, type SqlRisk } from '../../core/sql/sqlRisk';
import { projectLabel, type LinkedProject } from '../../core/projects/linkedProject';
import { judgeDuration } from '../../core/sql/queryTargets';
import { placeholderValueProblem } from '../../core/sql/placeholderValueProblem';
import { caretExcerpt } from '../../core/sql/errorExcerpt';
import { toDisplayCell } from '../../core/sql/displayValue';
import type { RiskGate } from '../safety/confirmRisk';
import { resolveSnippetTarget, type SnippetTarget } from '../commands/snippetTarget';
import { pickProject } from '../projects/pickProject';
import type { ResultSetView, ErrorView, RunHeader, ToWebview } from '../../shared/results/protocol';
import type { PgRunner, RunError, RunOutcome } from '../../node/pg/pgRunner';
import { isCatalogLookupError } from '../../node/pg/functionCatalog';
import { judgeWithCatalog } from '../../node/pg/judgeWithCatalog';
import { loadPostgresParser } from '../../node/sql/postgresParser';
import type { RunbookConfig } from '../settings';
import type { RunJournal } from '../../core/journal/runJournal';

export interface SqlRunReport {
  outcome: RunOutcome;
  project: string;
  statements: PreparedStatement[];
}

/** The block as it will run: statements with the full verdict (parse tree and catalog). */
interface Verdict {
  statements: PreparedStatement[];
  risk: SqlRisk;
  mode: 'read' | 'write';
}

/** The database side of one run: the password that worked (or will be tried) for the project. */
interface DatabaseAccess {
  project: LinkedProject;
  password: string;
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
      config: RunbookConfig;
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
    // PostgreSQL's parser loads while the user answers the questions; prepare() reports a failure to load.
    loadPostgresParser().catch(() => undefined);
    const values = await this.askPlaceholders(target);
    if (!values) return undefined;
    const prepared = await this.prepare(target, project, values);
    if (!prepared) return undefined;
    const password = await this.deps.secrets.databasePassword(project);
    if (password === undefined) return undefined;
    const access: DatabaseAccess = { project, password };
    const verdict = await this.judge(target, access, prepared);
    if ('failure' in verdict) {
      const run = { header: this.header(target, project, 'read', values), started: new Date() };
      return this.finish(target, access, prepared, prepared.statements, run, verdict.failure);
    }
    if (!(await this.confirm(project, verdict))) return undefined;
    const run = { header: this.header(target, project, verdict.mode, values), started: new Date() };
    const outcome = await this.execute(target, access, verdict, run.header);
    return this.finish(target, access, prepared, verdict.statements, run, outcome);
  }

  // 1. Placeholders ---------------------------------------------------------------------------------------------

  /** The placeholder values, or undefined when the block cannot run or the user stepped back. */
  private async askPlaceholders({ snippet, uri }: SnippetTarget): Promise<Map<string, string> | undefined> {
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
    if (!questions.length) return new Map();
    return this.deps.prompt.ask(uri, questions, `Run "${snippet.label}"`);
  }

  // 2. Verdict --------------------------------------------------------------------------------------------------

  /** The block split, bound and judged by PostgreSQL's parser; undefined (and said why) when it cannot run. */
  private async prepare(
    target: SnippetTarget,
    project: LinkedProject,
    values: Map<string, string>,
  ): Promise<PreparedRun | undefined> {
    const { snippet } = target;
    let parser;
    try {
      parser = await loadPostgresParser();
    } catch (error) {
      void vscode.window.showErrorMessage(
        `Cannot run "${snippet.label}": PostgreSQL's parser could not be loaded (${(error as Error).message}). Reinstall the extension.`,
      );
      return undefined;
    }
    const prepared = prepareSqlRun(snippet.body, snippet.bodyStartLine, values, parser);
    if (prepared.problems.length) {
      void vscode.window.showErrorMessage(`Cannot run "${snippet.label}": ${prepared.problems.join(' ')}`);
      return undefined;
    }
    if (prepared.rejected) {
      // Shown as the server would show a syntax error, caret and all; nothing ran, so nothing is recorded.
      const { rejected } = prepared;
      const header = this.header(target, project, 'read', values);
      const error: ErrorView = {
        kind: 'syntax',
        title: `PostgreSQL's parser rejects statement ${rejected.statementIndex + 1} (line ${rejected.errorLine + 1})`,
        message: rejected.message,
        position: String(rejected.position),
        statementIndex: rejected.statementIndex,
        excerpt: new SecretMask(prepared.secretValues).text(caretExcerpt(rejected.text, rejected.position)),
        advice: 'Nothing ran. Fix the statement in the runbook and run the block again.',
      };
      await this.deps.results.show({
        type: 'finished',
        header,
        status: 'error',
        sets: [],
        totalMs: 0,
        committed: false,
        error,
      });
      return undefined;
    }
    return prepared;
  }

  /**
   * Joins the project's catalog into the parser's verdict. A catalog that cannot be read (the database is down)
   * is the run's failure; a refused password is asked again once.
   */
  private async judge(
    target: SnippetTarget,
    access: DatabaseAccess,
    prepared: PreparedRun,
  ): Promise<Verdict | { failure: RunOutcome }> {
    const label = projectLabel(access.project);
    const started = performance.now();
    for (let attempt = 0; ; attempt++) {
      try {
        const statements = await vscode.window.withProgress(
          {
            location: vscode.ProgressLocation.Window,
            title: `$(database) Checking what "${target.snippet.label}" calls on ${label}`,
          },
          async () => judgeWithCatalog(prepared.statements, (await this.runner(access)).functionCatalog),
        );
        const risk = riskiest(statements)?.risk ?? 'read';
        return { statements, risk, mode: risk === 'read' ? 'read' : 'write' };
      } catch (error) {
        if (!isCatalogLookupError(error)) throw error;
        if (error.error.kind !== 'auth' || attempt > 0 || !(await this.askPasswordAgain(access)))
          return { failure: lookupFailure(error.error, performance.now() - started) };
      }
    }
  }

  // 3. Confirmation ---------------------------------------------------------------------------------------------

  private async confirm(project: LinkedProject, verdict: Verdict): Promise<boolean> {
    if (verdict.mode === 'read') return true;
    const risky = verdict.statements.filter((s) => s.risk !== 'read');
    return this.deps.gate.confirm(project, {
      headline: `This SQL block ${HEADLINES[verdict.risk]}`,
      details: [
        ...risky.map((s) => `Line ${s.line + 1}: ${s.reason ?? s.risk} — ${firstLine(s.original)}`),
        '',
        verdict.risk === 'admin'
          ? 'It runs in one transaction: if any statement fails, no change to the data is kept; effects outside the database or on other sessions cannot be undone.'
          : 'It runs in one transaction: if any statement fails, nothing is changed.',
      ],
      action: 'Run as Write',
    });
  }

  // 4. Execution ------------------------------------------------------------------------------------------------

  private async execute(
    target: SnippetTarget,
    access: DatabaseAccess,
    verdict: Verdict,
    header: RunHeader,
  ): Promise<RunOutcome> {
    const settings = this.deps.config.settings;
    const controller = new AbortController();
    this.inFlight.set(header.runId, controller);
    void this.deps.results.show({ type: 'running', header, statementCount: verdict.statements.length });
    try {
      return await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Window,
          title: `$(database) Running "${target.snippet.label}" on ${projectLabel(access.project)}`,
        },
        async () => {
          for (let attempt = 0; ; attempt++) {
            const outcome = await (
              await this.runner(access)
            ).run(
              verdict.statements.map((s) => ({ text: s.text, values: s.values, line: s.line })),
              {
                mode: verdict.mode,
                statementTimeoutMs: settings.sql.statementTimeoutSeconds * 1000,
                maxRows: settings.sql.maxRows,
                signal: controller.signal,
              },
            );
            if (outcome.error?.kind !== 'auth' || attempt > 0 || !(await this.askPasswordAgain(access))) return outcome;
          }
        },
      );
    } finally {
      this.inFlight.delete(header.runId);
    }
  }

  // 5. Bookkeeping ----------------------------------------------------------------------------------------------

  private async finish(
    target: SnippetTarget,
    access: DatabaseAccess,
    prepared: PreparedRun,
    statements: PreparedStatement[],
    { header, started }: { header: RunHeader; started: Date },
    outcome: RunOutcome,
  ): Promise<SqlRunReport> {
    const { snippet, runbook, uri } = target;
    const { mode } = header;
    const { project, password } = access;
    const label = projectLabel(project);
    const settings = this.deps.config.settings;
    if (outcome.status === 'ok' && !(project.isLocal && project.source === 'local stack'))
      await this.deps.secrets.store(project, 'dbPassword', password);

    // Masked once, here: the panel, the log and the command's return value are all built from this copy.
    const mask = new SecretMask(prepared.secretValues, {
      password: !isPublicPassword(password, project) ? password : undefined,
    });
    const masked = mask.outcome(outcome);
    const sets: ResultSetView[] = masked.results.map((r) => {
      const statement = statements[r.statementIndex];
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
      id: `sql-${header.runId}-${started.getTime()}`,
      startedAt: started.toISOString(),
      project: project.name,
      kind: 'sql',
      // The SQL as written (placeholders, not values); the journal masks known secrets and credentials itself.
      command: statements.map((s) => s.original).join(';\n'),
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
    const risk = riskiest(statements)?.risk ?? 'read';
    if (masked.status === 'cancelled') finished.notice = cancelNotice(masked.totalMs, risk);
    else if (masked.error) finished.error = errorView(masked, statements, mask);
    await this.deps.results.show(finished);
    return {
      outcome: masked,
      project: project.name,
      statements: statements.map((s) => ({ ...s, values: s.values.map((v) => mask.value(v)) })),
    };
  }

  // Shared ------------------------------------------------------------------------------------------------------

  private runner(access: DatabaseAccess): Promise<PgRunner> {
    return this.deps.runners.get(access.project, access.password);
  }

  /** Postgres refused the password: forget the stored one and ask once; false when the user gave none. */
  private async askPasswordAgain(access: DatabaseAccess): Promise<boolean> {
    const { project } = access;
    await this.deps.secrets.delete(project, 'dbPassword');
    void this.deps.runners.forget(project);
    const again = await this.deps.secrets.databasePassword(project, {
      forceAsk: true,
      reason: `Postgres refused the password for ${project.db!.user}.`,
    });
    if (again === undefined) return false;
    access.password = again;
    return true;
  }

  /** The panel's header of a new run (each call is a new run id). */
  private header(
    { snippet, uri }: SnippetTarget,
    project: LinkedProject,
    mode: 'read' | 'write',
    values: ReadonlyMap<string, string>,
  ): RunHeader {
    return {
      runId: ++this.runId,
      title: snippet.label,
      project: projectLabel(project),
      production: project.production,
      mode,
      source: `${vscode.workspace.asRelativePath(uri)}:${snippet.startLine + 1}`,
      placeholders: placeholderValuesView(sqlPlaceholders(snippet.body), values),
    };
  }
}

const HEADLINES: Record<SqlRisk, string> = {
  read: 'only reads',
  write: 'writes to the database',
  schema: 'changes the schema',
  admin: 'calls administrative functions or acts outside the database',
};

/** The catalog lookup failed before any statement ran: the run's outcome, as a connection failure would be. */
function lookupFailure(error: RunError, totalMs: number): RunOutcome {
  return {
    status: 'error',
    results: [],
    error: {
      ...error,
      advice: `Nothing ran: the functions the block calls could not be looked up. ${error.advice ?? ''}`.trim(),
    },
    totalMs: Math.round(totalMs * 10) / 10,
    committed: false,
  };
}

/** What a user-requested cancel left behind, for the panel's notice. */
function cancelNotice(totalMs: number, risk: SqlRisk): string {
  const after = totalMs < 1000 ? `${Math.round(totalMs)} ms` : `${(totalMs / 1000).toFixed(1)} s`;
  if (risk === 'read') return `Cancelled by you after ${after}; nothing was changed.`;
  if (risk === 'admin')
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
