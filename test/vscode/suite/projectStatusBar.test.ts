// The project status bar item as the user checks it: a project known only by `supabase link` is called "linked", so
// its text adds the short ref (space is short there), and the hover shows the full ref first.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { driver } from '../driver';
import { activateExtension } from '../extensionApi';
import { fixtureProject, pgInfo, useProjects } from '../workbenchHelpers';
import type { RunbookCompanionApi } from '../../../src/vscode/api';
import { waitFor } from '../../helpers/wait';

const STATUS_ITEM = '#runbook-companion\\.runbook-companion\\.runbook\\.project';
const LINKED_REF = 'statusbarlinkedrefzz';

describe('Project status bar', function () {
  let api: RunbookCompanionApi;
  const refFile = () => join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'supabase', '.temp', 'project-ref');

  before(async function () {
    if (!pgInfo || !driver.available) this.skip();
    api = await activateExtension();
    mkdirSync(join(refFile(), '..'), { recursive: true });
    writeFileSync(refFile(), `${LINKED_REF}\n`);
    await useProjects(api, [fixtureProject('fixture')], 'fixture');
    await waitFor(() => api.projects.all.some((p) => p.ref === LINKED_REF), 'the linked project to be discovered');
  });

  after(async function () {
    if (!api) return;
    rmSync(refFile(), { force: true });
    await api.projects.setActive('fixture');
    await driver.press('Escape');
  });

  it('a linked project shows its short ref in the status bar and its full ref on hover', async function () {
    await api.projects.setActive('linked');
    const item = await driver.waitFor(STATUS_ITEM, { text: 'linked' });
    assert.match(item.text, /linked stat…efzz/, 'the short ref tells which linked project it is');
    await driver.hover(`${STATUS_ITEM} a`);
    const hover = await driver.waitFor('.workbench-hover, .monaco-hover', { text: LINKED_REF, timeoutMs: 10_000 });
    assert.match(hover.text, new RegExp(`ref\\s+${LINKED_REF}`));
    assert.match(hover.text, /production/);
    await driver.screenshot('status-bar-linked-ref-hover');
  });
});
