// A runbook Problem (0-based lines, from src/core/check) as a VS Code Diagnostic on the markdown: the problem in a few
// words as the message, so the Problems panel reads at a glance, and its explanation as related information, which
// the hover and the Problems panel show under it.
import * as vscode from 'vscode';
import type { Problem, ProblemSeverity } from '../../core/check/checkRunbook';

const SEVERITY: Record<ProblemSeverity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** The problem's lines, from the first character written to the end of the last line. */
export function problemDiagnostic(problem: Problem, lines: readonly string[], uri: vscode.Uri): vscode.Diagnostic {
  const last = Math.max(0, lines.length - 1);
  const startLine = Math.min(Math.max(0, problem.line), last);
  const endLine = Math.min(Math.max(startLine, problem.endLine ?? problem.line), last);
  const startText = lines[startLine] ?? '';
  const startCharacter = Math.max(0, startText.length - startText.trimStart().length);
  const range = new vscode.Range(startLine, startCharacter, endLine, (lines[endLine] ?? '').length);
  const diagnostic = new vscode.Diagnostic(range, problem.message, SEVERITY[problem.severity]);
  diagnostic.source = 'Runbook';
  diagnostic.code = problem.code;
  if (problem.detail && problem.detail !== problem.message)
    diagnostic.relatedInformation = [
      new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, range), problem.detail),
    ];
  return diagnostic;
}
