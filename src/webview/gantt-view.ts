/**
 * The run's timeline: one row per step that started, in start order, a bar from its
 * start to its end (to "now" while it runs), coloured like its node, with a time axis.
 */
import type { ViewState } from './view-state.js';
import { timelineSpan } from './view-state.js';
import { html, ms, svg } from './svg.js';

const ROW = 24;
const LABEL = 150;
const WIDTH = 760;
const AXIS = 22;

/** Draws the timeline of `state` into `host`. */
export function renderGantt(host: HTMLElement, state: ViewState): void {
    const bars = Object.values(state.bars).sort((a, b) => a.startMs - b.startMs || a.stepId.localeCompare(b.stepId));
    host.replaceChildren(html('h2', undefined, 'Timeline'));
    if (bars.length === 0) {
        host.append(html('p', 'empty', state.running ? 'Waiting for the first step…' : 'Run the workflow to see its timeline.'));
        return;
    }
    const span = timelineSpan(state);
    const now = (state.lastEventAt ?? 0) - (state.runStart ?? 0);
    const scale = (WIDTH - LABEL - 10) / span;
    const critical = new Set(state.graph?.criticalPath ?? []);
    const height = bars.length * ROW + AXIS;
    const root = svg('svg', { class: 'gantt', width: WIDTH, height, viewBox: `0 0 ${WIDTH} ${height}` });
    for (let i = 0; i <= 4; i++) {
        const t = (span * i) / 4;
        const x = LABEL + t * scale;
        root.append(svg('line', { x1: x, y1: 0, x2: x, y2: height - AXIS + 4, class: 'gantt-grid' }));
        root.append(svg('text', { x, y: height - 6, class: 'gantt-axis', 'text-anchor': i === 0 ? 'start' : i === 4 ? 'end' : 'middle' }, ms(t)));
    }
    bars.forEach((bar, row) => {
        const y = row * ROW;
        const end = bar.endMs ?? Math.max(bar.startMs, now);
        const w = Math.max(2, (end - bar.startMs) * scale);
        const g = svg('g', { class: `gantt-row status-${bar.status}${critical.has(bar.stepId) ? ' critical' : ''}`, 'data-step': bar.stepId });
        g.append(svg('text', { x: 0, y: y + 16, class: 'gantt-label' }, bar.stepId));
        g.append(svg('rect', { x: LABEL + bar.startMs * scale, y: y + 4, width: w, height: ROW - 8, rx: 3, class: 'gantt-bar' }));
        g.append(svg('title', {}, `${bar.stepId}: ${bar.status}, ${ms(end - bar.startMs)}${bar.attempts > 1 ? `, ${bar.attempts} attempts` : ''}`));
        root.append(g);
    });
    host.append(root);
}
