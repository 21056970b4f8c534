// Asks for each placeholder's value, offering the last one used in this runbook.
import * as vscode from 'vscode';

export interface PlaceholderQuestion {
  name: string;
  /** Shown under the input: what the value is used as. */
  hint?: string;
  validate?: (value: string) => string | vscode.InputBoxValidationMessage | undefined;
}

export class PlaceholderPrompt {
  constructor(private readonly state: vscode.Memento) {}

  private key(runbookUri: vscode.Uri, name: string): string {
    return `runbook.placeholder.${runbookUri.toString()}.${name}`;
  }

  lastValue(runbookUri: vscode.Uri, name: string): string | undefined {
    return this.state.get<string>(this.key(runbookUri, name));
  }

  /** Resolves with every value, or undefined when the user cancelled one. */
  async ask(runbookUri: vscode.Uri, questions: readonly PlaceholderQuestion[], title: string): Promise<Map<string, string> | undefined> {
    const values = new Map<string, string>();
    for (const [i, q] of questions.entries()) {
      const value = await vscode.window.showInputBox({
        title: `${title} (${i + 1}/${questions.length})`,
        prompt: `Value for <${q.name}>${q.hint ? ` — ${q.hint}` : ''}`,
        value: this.lastValue(runbookUri, q.name) ?? '',
        placeHolder: q.name,
        ignoreFocusOut: true,
        validateInput: q.validate,
      });
      if (value === undefined) return undefined;
      values.set(q.name, value);
    }
    for (const [name, value] of values) await this.state.update(this.key(runbookUri, name), value);
    return values;
  }
}
