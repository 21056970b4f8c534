// Every command the extension contributes, in one typed list: the code registers and calls commands only through
// it, package.json's commands, menus and keybindings name exactly these (test/unit/manifest/commandIds.test.ts), and
// a code-server test sees each one registered after activation. A new command (deploy, incident, health…): a line
// here, its entry in package.json's contributes.commands, and its registration; the tests name whatever is missing.
export const COMMANDS = {
  // The runbook and its tree
  openRunbook: 'runbook.openRunbook',
  findPlaybook: 'runbook.findPlaybook',
  refresh: 'runbook.refresh',
  revealLine: 'runbook.revealLine',
  openChecklist: 'runbook.openChecklist',
  // Snippets: SQL
  runSnippet: 'runbook.runSnippet',
  runSql: 'runbook.runSql',
  runSqlOn: 'runbook.runSqlOn',
  cancelQuery: 'runbook.cancelQuery',
  copySnippet: 'runbook.copySnippet',
  // Snippets: shell
  runInTerminal: 'runbook.runInTerminal',
  runLineByLine: 'runbook.runLineByLine',
  runCommand: 'runbook.runCommand',
  stopSnippet: 'runbook.stopSnippet',
  copyCommands: 'runbook.copyCommands',
  showCliProblem: 'runbook.showCliProblem',
  // Projects and their secrets
  selectProject: 'runbook.selectProject',
  setSecret: 'runbook.setSecret',
  clearSecrets: 'runbook.clearSecrets',
  // Health
  openHealthPanel: 'runbook.openHealthPanel',
  refreshHealth: 'runbook.refreshHealth',
  stopHealthChecks: 'runbook.stopHealthChecks',
  /** Arguments, all optional: a project name, a function slug (the stale `supabase functions logs` Quick Fix). */
  tailFunctionLogs: 'runbook.tailFunctionLogs',
  stopFunctionLogs: 'runbook.stopFunctionLogs',
  /** Arguments: a runbook URI and a playbook's 0-based line. */
  revealPlaybook: 'runbook.revealPlaybook',
  /** Arguments: a runbook URI, the index of a SQL snippet, a project name. */
  runDiagnosisOn: 'runbook.runDiagnosisOn',
} as const;

export type CommandName = keyof typeof COMMANDS;
export type CommandId = (typeof COMMANDS)[CommandName];
