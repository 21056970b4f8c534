// What a shell snippet offers, worked out from its text: the lenses above it, the menu its node gets in the Playbooks
// view, what Copy puts on the clipboard. It needs the shell lexer, the Supabase CLI's command table and the targeting
// rules, so it is a bundle of its own (dist/lazy/vscode.shell.shellSnippetOffers.js), loaded when VS Code first asks
// for a runbook's lenses or a shell snippet's node (loadShellSnippetOffers.ts), not at activation.
import { splitOfSnippet, splitShellSnippet } from '../../core/bash/splitShellSnippet';
import type { Snippet } from '../../core/model/types';

export { shellLenses } from './shellLenses';
export { splitOfSnippet } from '../../core/bash/splitShellSnippet';
export { previewCommandTargets } from '../../core/shell/commandTargetsPreview';

/**
 * The node's context value, which decides its menu: `snippet.shell.single` (one command), `snippet.shell.multi`
 * (several: Line by Line), `snippet.shell.prose` (steps for a person only: the checklist, no Run),
 * `snippet.shell.output` (a transcript without prompts), `.steps` when a runnable block also has steps.
 */
export function shellContextValue(snippet: Snippet): string {
  const split = splitOfSnippet(snippet);
  const steps = split.proseSteps.length > 0;
  if (split.commands.length === 0)
    return steps ? 'snippet.shell.prose' : split.transcript ? 'snippet.shell.output' : 'snippet.shell.empty';
  return `snippet.shell.${split.commands.length === 1 ? 'single' : 'multi'}${steps ? '.steps' : ''}`;
}

/**
 * What Copy puts on the clipboard: the commands as they would run (prompts, output and comments left out), one per
 * line; a block without commands is copied as it is written.
 */
export function runnableText(body: string, bodyStartLine: number, language: string): string {
  const split = splitShellSnippet(body, bodyStartLine, language);
  return split.commands.length ? split.commands.map((c) => c.text).join('\n') + '\n' : body;
}
