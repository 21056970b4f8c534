// A health state as the page shows it: a symbol and a word, never colour alone, in the theme's colours (health.css).
import type { HealthState } from '../../shared/health/healthView';
import { HEALTH_STATE_LABELS } from '../../shared/health/healthView';
import { el } from '../shared/dom';

const SYMBOLS: Record<HealthState, string> = {
  healthy: '✓',
  warning: '▲',
  critical: '✖',
  unknown: '?',
  maintenance: '⚙',
};

export function stateBadge(state: HealthState): HTMLElement {
  return el('span', { className: `badge state-${state}`, attrs: { 'data-state': state } }, [
    el('span', { className: 'symbol', text: SYMBOLS[state], attrs: { 'aria-hidden': 'true' } }),
    el('span', { className: 'word', text: HEALTH_STATE_LABELS[state] }),
  ]);
}
