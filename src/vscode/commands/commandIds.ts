// Command ids, in one place so package.json, the code and the tests agree (a test checks package.json).
export const REVEAL_LINE_COMMAND = 'runbook.revealLine';
export const OPEN_RUNBOOK_COMMAND = 'runbook.openRunbook';
export const FIND_PLAYBOOK_COMMAND = 'runbook.findPlaybook';
export const REFRESH_COMMAND = 'runbook.refresh';
