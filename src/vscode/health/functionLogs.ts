// "Runbook: Tail Function Logs": the runbook's `supabase functions logs <name> --tail`, which Supabase CLI 3 no longer
// has, as a tail of the function's logs through the Management API into an output channel of its own. It names the
// project and function it reads; the token is asked for once (masked) and kept in SecretStorage.
import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle/disposable';
import { projectLabel, type LinkedProject } from '../../core/projects/linkedProject';
import { systemClock } from '../../node/http/clock';
import type { ManagementApiClient } from '../../node/supabase/managementApiClient';
import { FunctionLogTail, TAIL_LOOKBACK_MS, type FunctionLogLine } from '../../node/supabase/functionLogTail';
import type { ProjectService } from '../projects/projectService';
import type { SecretStore } from '../secrets/secretStore';
import type { RunbookConfig } from '../settings';

interface RunningTail {
  key: string;
  label: string;
  tail: FunctionLogTail;
  channel: vscode.OutputChannel;
}

export class FunctionLogs extends Disposable {
  private readonly tails = new Map<string, RunningTail>();

  constructor(
    private readonly config: RunbookConfig,
    private readonly projects: ProjectService,
    private readonly secrets: SecretStore,
    private readonly management: ManagementApiClient,
  ) {
    super();
  }

  /** Tails running now, by "project/slug". */
  get running(): string[] {
    return [...this.tails.keys()];
  }

  async start(projectName?: string, slug?: string): Promise<string | undefined> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(
        'Function logs are not read in Restricted Mode. Trust this workspace first.',
      );
      return undefined;
    }
    await this.projects.ready();
    const project = await this.chooseProject(projectName);
    if (!project?.ref) return undefined;
    if (!(await this.ensureToken())) return undefined;

    let functions;
    try {
      functions = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Listing the Edge Functions of ${projectLabel(project)}…`,
        },
        () => this.management.functions(project.ref!),
      );
    } catch (error) {
      void vscode.window.showErrorMessage(`Runbook: ${(error as Error).message}`);
      return undefined;
    }
    if (functions.length === 0) {
      void vscode.window.showInformationMessage(`${projectLabel(project)} has no Edge Functions deployed.`);
      return undefined;
    }
    const chosen = slug
      ? functions.find((f) => f.slug === slug || f.name === slug)
      : (
          await vscode.window.showQuickPick(
            functions.map((f) => ({ label: f.slug, description: f.status, fn: f })),
            { title: `Tail the logs of which function of ${projectLabel(project)}?` },
          )
        )?.fn;
    if (!chosen) {
      if (slug)
        void vscode.window.showWarningMessage(
          `${projectLabel(project)} has no Edge Function "${slug}". Deployed: ${functions.map((f) => f.slug).join(', ')}.`,
        );
      return undefined;
    }
    const key = `${project.name}/${chosen.slug}`;
    const label = `${chosen.slug} on ${projectLabel(project)}`;
    const existing = this.tails.get(key);
    if (existing) {
      existing.channel.show(true);
      return key;
    }
    const channel = vscode.window.createOutputChannel(`Function Logs: ${label}`);
    const seconds = this.config.settings.health.functionLogsPollSeconds;
    channel.appendLine(
      `Logs of the Edge Function ${chosen.slug} on ${projectLabel(project)} (${project.ref}), read from the Management API every ${seconds} s, from ${TAIL_LOOKBACK_MS / 60_000} minutes ago. Stop with "Runbook: Stop Function Logs".`,
    );
    const tail = new FunctionLogTail({
      client: this.management,
      ref: project.ref,
      functionId: chosen.id,
      clock: systemClock,
      intervalMs: seconds * 1000,
      onLines: (lines) => {
        for (const line of lines) channel.appendLine(formatLine(line));
      },
      onProblem: (message) => channel.appendLine(`[runbook] ${message}`),
    });
    this.tails.set(key, { key, label, tail, channel });
    channel.show(true);
    return key;
  }

  async stop(key?: string): Promise<void> {
    let chosen = key;
    if (!chosen) {
      const running = [...this.tails.values()];
      if (running.length === 0) {
        void vscode.window.showInformationMessage('No function logs are being tailed.');
        return;
      }
      chosen =
        running.length === 1
          ? running[0].key
          : (
              await vscode.window.showQuickPick(
                running.map((t) => ({ label: t.label, key: t.key })),
                { title: 'Stop which tail?' },
              )
            )?.key;
    }
    const tail = chosen ? this.tails.get(chosen) : undefined;
    if (!tail) return;
    tail.tail.dispose();
    tail.channel.appendLine('[runbook] Stopped.');
    this.tails.delete(tail.key);
  }

  protected override onDispose(): void {
    for (const tail of this.tails.values()) {
      tail.tail.dispose();
      tail.channel.dispose();
    }
    this.tails.clear();
  }

  private async chooseProject(name: string | undefined): Promise<LinkedProject | undefined> {
    const withRef = this.projects.all.filter((p) => p.ref);
    if (name) {
      const named = this.projects.all.find((p) => p.name === name);
      if (named?.ref) return named;
    }
    if (withRef.length === 0) {
      void vscode.window.showWarningMessage(
        'Function logs come from a hosted project: link one (`supabase link`) or give a project a "ref" in runbook.projects.',
      );
      return undefined;
    }
    const active = this.projects.active;
    if (withRef.length === 1) return withRef[0];
    return (
      await vscode.window.showQuickPick(
        withRef.map((p) => ({
          label: projectLabel(p),
          description: `${p.ref}${p === active ? ' · active' : ''}`,
          project: p,
        })),
        { title: 'Tail function logs of which project?' },
      )
    )?.project;
  }

  private async ensureToken(): Promise<boolean> {
    if (await this.management.hasToken()) return true;
    const token = await this.secrets.ask(
      undefined,
      'accessToken',
      'Function logs are read through the Supabase Management API, which needs a personal access token (supabase.com/dashboard/account/tokens).',
    );
    if (!token) return false;
    await this.secrets.store(undefined, 'accessToken', token);
    return true;
  }
}

function formatLine(line: FunctionLogLine): string {
  return `${new Date(line.at).toISOString().replace('T', ' ').replace('Z', '')} [${line.level}] ${line.message}`;
}
