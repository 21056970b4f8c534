// Where Supabase commands run from a workspace folder, as planning needs it: the active project and every known one,
// the CLI binary that will run and its version, the project `supabase link` recorded there, and the URL of a local
// database off the stack's default. The terminal runner and the task runner both plan with it.
import * as vscode from 'vscode';
import type { ProjectService } from '../projects/projectService';
import type { DetectedVersion, ResolvedBinary, SupabaseBinaries } from './supabaseBinaries';
import type { LinkedRefs } from './linkedRefs';
import type { LinkedProject } from '../../core/projects/linkedProject';
import type { PlanContext } from '../../core/shell/commandTargetsPreview';
import { LOCAL_DB_PORT } from '../../core/projects/discoverProjects';

export interface CliRunContext {
  plan: PlanContext;
  binary: ResolvedBinary;
  version: DetectedVersion;
}

export class SupabaseCliContext {
  constructor(
    private readonly projects: ProjectService,
    private readonly binaries: SupabaseBinaries,
    private readonly linkedRefs: LinkedRefs,
  ) {}

  /** Fires when where commands go may have changed: a CLI version read, a `supabase link` done. */
  readonly onDidChange: vscode.Event<void> = (listener, thisArg, disposables) => {
    const subscription = vscode.Disposable.from(
      this.binaries.onDidDetectVersion(listener, thisArg),
      this.linkedRefs.onDidChange(listener, thisArg),
    );
    disposables?.push(subscription);
    return subscription;
  };

  /** For lenses: the CLI version as far as known now (reading it starts in the background). */
  preview(root: string | undefined, project: LinkedProject): PlanContext {
    const binary = this.binaries.resolve(root);
    return this.planContext(root, project, binary, this.binaries.knownVersion(binary).major);
  }

  /** For a run: the binary that will run, its version read. */
  async forRun(root: string | undefined, project: LinkedProject): Promise<CliRunContext> {
    const binary = this.binaries.resolve(root);
    const version = await this.binaries.version(binary);
    return { plan: this.planContext(root, project, binary, version.major), binary, version };
  }

  private planContext(
    root: string | undefined,
    project: LinkedProject,
    binary: ResolvedBinary,
    cliMajorVersion: number,
  ): PlanContext {
    const linkedRef = this.linkedRefs.refOf(root);
    const databaseUrl = localDatabaseUrl(project);
    return {
      project,
      projects: this.projects.all,
      supabase: binary.environment,
      cliMajorVersion,
      ...(linkedRef ? { linkedRef } : {}),
      ...(databaseUrl ? { databaseUrl } : {}),
    };
  }
}

/** A passwordless URL for a local database that is not the stack's default; the password goes in PGPASSWORD. */
function localDatabaseUrl(project: LinkedProject): string | undefined {
  if (!project.isLocal || !project.db || (project.source === 'local stack' && project.db.port === LOCAL_DB_PORT))
    return undefined;
  const db = project.db;
  return `postgresql://${encodeURIComponent(db.user)}@${db.host}:${db.port}/${encodeURIComponent(db.database)}?sslmode=${db.sslmode === 'prefer' ? 'disable' : db.sslmode}`;
}
