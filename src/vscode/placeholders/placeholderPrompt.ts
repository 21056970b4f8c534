// Asks for each placeholder's value. An ordinary placeholder gets an input box prefilled with the last value used in
// this runbook; one with known values (the workspace's Edge Functions) a pick list with "type another"; a secret a
// masked input that is never prefilled and never stored.
import * as vscode from 'vscode';

export interface PlaceholderQuestion {
  name: string;
  /** Shown under the input: what the value is used as. */
  hint?: string;
  validate?: (value: string) => string | vscode.InputBoxValidationMessage | undefined;
  /** Values to pick from first; the user may still type another one. */
  choices?: readonly string[];
  /** A secret: masked, not prefilled, not remembered. */
  secret?: boolean;
}

const TYPE_ANOTHER = '$(edit) Type another value…';

export class PlaceholderPrompt {
  constructor(private readonly state: vscode.Memento) {}

  private key(runbookUri: vscode.Uri, name: string): string {
    return `runbook.placeholder.${runbookUri.toString()}.${name}`;
  }

  lastValue(runbookUri: vscode.Uri, name: string): string | undefined {
    return this.state.get<string>(this.key(runbookUri, name));
  }

  /** Resolves with every value, or undefined when the user cancelled one. */
  async ask(
    runbookUri: vscode.Uri,
    questions: readonly PlaceholderQuestion[],
    title: string,
  ): Promise<Map<string, string> | undefined> {
    const values = new Map<string, string>();
    for (const [i, q] of questions.entries()) {
      const step = `${title} (${i + 1}/${questions.length})`;
      const value = q.secret
        ? await this.askSecret(q, step)
        : q.choices?.length
          ? await this.pick(runbookUri, q, step)
          : await this.type(runbookUri, q, step);
      if (value === undefined) return undefined;
      values.set(q.name, value);
    }
    // Secrets are never written anywhere: not even in workspace state.
    for (const q of questions) if (!q.secret) await this.state.update(this.key(runbookUri, q.name), values.get(q.name));
    return values;
  }

  private type(
    runbookUri: vscode.Uri,
    q: PlaceholderQuestion,
    title: string,
    value = this.lastValue(runbookUri, q.name) ?? '',
  ): Thenable<string | undefined> {
    return vscode.window.showInputBox({
      title,
      prompt: `Value for <${q.name}>${q.hint ? ` — ${q.hint}` : ''}`,
      value,
      placeHolder: q.name,
      ignoreFocusOut: true,
      validateInput: q.validate,
    });
  }

  private askSecret(q: PlaceholderQuestion, title: string): Thenable<string | undefined> {
    return vscode.window.showInputBox({
      title,
      // Each feature says how it keeps the value out of sight (a bound parameter, an environment variable).
      prompt: `Secret value for <${q.name}> — ${q.hint ?? 'never stored'}`,
      password: true,
      placeHolder: q.name,
      ignoreFocusOut: true,
      validateInput: q.validate,
    });
  }

  private async pick(runbookUri: vscode.Uri, q: PlaceholderQuestion, title: string): Promise<string | undefined> {
    const last = this.lastValue(runbookUri, q.name);
    const choices = [...q.choices!];
    // The value used last time comes first: during an incident it is usually the same function.
    if (last && choices.includes(last)) choices.sort((a, b) => Number(b === last) - Number(a === last));
    const items: vscode.QuickPickItem[] = [
      ...choices.map((c) => ({ label: c, ...(c === last ? { description: 'used last time' } : {}) })),
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      { label: TYPE_ANOTHER },
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title,
      placeHolder: `Value for <${q.name}>${q.hint ? ` — ${q.hint}` : ''}`,
      ignoreFocusOut: true,
    });
    if (!picked) return undefined;
    if (picked.label !== TYPE_ANOTHER) return picked.label;
    return this.type(runbookUri, q, title, last && !choices.includes(last) ? last : '');
  }
}
