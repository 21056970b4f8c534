// The health feature's command ids, in one place for package.json, the code and other features: the stale
// `supabase functions logs … --tail` Quick Fix offers TAIL_FUNCTION_LOGS_COMMAND.
export const OPEN_HEALTH_PANEL_COMMAND = 'runbook.openHealthPanel';
export const REFRESH_HEALTH_COMMAND = 'runbook.refreshHealth';
export const STOP_HEALTH_COMMAND = 'runbook.stopHealthChecks';
/** Arguments, all optional: a project name, a function slug. */
export const TAIL_FUNCTION_LOGS_COMMAND = 'runbook.tailFunctionLogs';
export const STOP_FUNCTION_LOGS_COMMAND = 'runbook.stopFunctionLogs';
/** Arguments: a runbook URI (string or Uri) and a playbook's 0-based line. */
export const REVEAL_PLAYBOOK_COMMAND = 'runbook.revealPlaybook';
/** Arguments: a runbook URI, the index of a SQL snippet, a project name. */
export const RUN_DIAGNOSIS_COMMAND = 'runbook.runDiagnosisOn';
