// The run journal of this workspace: masked with every known secret, kept in the extension's workspace storage
// (JSON Lines, rotated) so that the incident timeline survives a reload; memory only when no folder is open.
import type * as vscode from 'vscode';
import { RunJournal } from '../../core/journal/runJournal';
import type { ProjectService } from '../projects/projectService';
import type { SecretStore } from '../secrets/secretStore';
import { JournalFileStore } from '../../node/journal/journalFileStore';
import { KnownSecrets } from './knownSecrets';

/** Records kept in memory; the file holds up to twice as many lines before it rotates. */
export const JOURNAL_CAPACITY = 1000;

export function createRunJournal(
  context: vscode.ExtensionContext,
  secrets: SecretStore,
  projects: ProjectService,
  log: vscode.LogOutputChannel,
): { journal: RunJournal; disposables: vscode.Disposable[] } {
  const known = new KnownSecrets(context.secrets, secrets, projects);
  const store = context.storageUri
    ? new JournalFileStore(context.storageUri.fsPath, JOURNAL_CAPACITY, (message) => log.warn(message))
    : undefined;
  const journal = new RunJournal({
    capacity: JOURNAL_CAPACITY,
    knownSecrets: () => known.current,
    ...(store ? { store } : {}),
  });
  if (store) {
    // Restored after activation: reading and masking a full journal again (1,000 records) takes tens of milliseconds,
    // and activation must not grow with the journal.
    void store.load().then((earlier) => {
      if (earlier.length === 0) return;
      journal.restore(earlier);
      log.info(`Run journal: ${earlier.length} record(s) of earlier sessions from ${context.storageUri!.fsPath}`);
      // Restoring masks with the secrets known so far: only the environment's until SecretStorage has been read in the
      // background. Once it has, the earlier records are masked with those too.
      void known.loaded.then(() => journal.remask());
    });
  }
  return { journal, disposables: [known] };
}
