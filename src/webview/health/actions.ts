// What the page can ask of the extension from a card: each names the project and check, never a path.
export interface HealthActions {
  openPlaybook(project: string, checkId: string): void;
  runDiagnosis(project: string, checkId: string): void;
  openRule(line: number): void;
  refresh(): void;
  tailLogs(project: string): void;
}
