// The latency of the last hour as a small line, drawn as SVG through the DOM (no markup parsed, no inline style): a
// failed probe is a mark on the baseline. It carries a text summary for screen readers.
import type { LatencyPoint } from '../../shared/health/healthView';
import { formatDuration } from '../../shared/format/duration';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 240;
const HEIGHT = 40;
const SPAN_MS = 3_600_000;

export function sparkline(points: readonly LatencyPoint[], now: number): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'sparkline');
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  svg.setAttribute('width', String(WIDTH));
  svg.setAttribute('height', String(HEIGHT));
  svg.setAttribute('role', 'img');
  const answered = points.filter((p) => p.ms !== null) as Array<{ t: number; ms: number }>;
  const failed = points.length - answered.length;
  const max = Math.max(1, ...answered.map((p) => p.ms));
  // Up to an hour; less when the checks have run for less, so a young line is not a dot at the right edge.
  const span = Math.min(SPAN_MS, Math.max(60_000, now - Math.min(now, ...points.map((p) => p.t))));
  const x = (t: number) => Math.max(0, Math.min(WIDTH, WIDTH - ((now - t) / span) * WIDTH));
  const y = (ms: number) => HEIGHT - 2 - (ms / max) * (HEIGHT - 6);
  const base = document.createElementNS(SVG, 'line');
  base.setAttribute('class', 'baseline');
  base.setAttribute('x1', '0');
  base.setAttribute('x2', String(WIDTH));
  base.setAttribute('y1', String(HEIGHT - 1));
  base.setAttribute('y2', String(HEIGHT - 1));
  svg.appendChild(base);
  if (answered.length > 1) {
    const line = document.createElementNS(SVG, 'polyline');
    line.setAttribute('class', 'latency');
    line.setAttribute('points', answered.map((p) => `${x(p.t).toFixed(1)},${y(p.ms).toFixed(1)}`).join(' '));
    svg.appendChild(line);
  }
  for (const p of points) {
    if (p.ms !== null) continue;
    const mark = document.createElementNS(SVG, 'rect');
    mark.setAttribute('class', 'failure');
    mark.setAttribute('x', (x(p.t) - 1).toFixed(1));
    mark.setAttribute('y', String(HEIGHT - 8));
    mark.setAttribute('width', '2');
    mark.setAttribute('height', '8');
    svg.appendChild(mark);
  }
  const label = answered.length
    ? `Latency over the last ${formatDuration(span)}: ${answered.length} answers, highest ${formatDuration(max)}${failed ? `, ${failed} without an answer` : ''}`
    : `No answers in the last hour${failed ? ` (${failed} failed probes)` : ''}`;
  svg.setAttribute('aria-label', label);
  const title = document.createElementNS(SVG, 'title');
  title.textContent = label;
  svg.appendChild(title);
  return svg;
}
