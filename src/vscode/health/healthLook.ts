// How a health state looks wherever VS Code draws it: codicon, theme colour and words, so the status bar, the view
// and the notification agree.
import * as vscode from 'vscode';
import { HEALTH_STATE_LABELS, type HealthState } from '../../shared/health/healthView';

const ICONS: Record<HealthState, { icon: string; color: string }> = {
  healthy: { icon: 'pass', color: 'testing.iconPassed' },
  warning: { icon: 'warning', color: 'list.warningForeground' },
  critical: { icon: 'error', color: 'list.errorForeground' },
  unknown: { icon: 'question', color: 'descriptionForeground' },
  maintenance: { icon: 'tools', color: 'descriptionForeground' },
};

export function stateIcon(state: HealthState): vscode.ThemeIcon {
  const { icon, color } = ICONS[state];
  return new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
}

export function codicon(state: HealthState): string {
  return ICONS[state].icon;
}

export function stateLabel(state: HealthState): string {
  return HEALTH_STATE_LABELS[state];
}
