/**
 * The run's timeline: one row per step that started, in start order, a bar from its
 * start to its end (to "now" while it runs), coloured like its node; a failed, retried,
 * skipped or cancelled bar also says so in words. Drawn at the panel's width in the
 * editor's font size (never scaled down), with a time axis of nice ticks that grows
 * with a live run.
 */
import { formatDuration } from '../shared/duration-format.js';
import type { ViewState } from './view-state.js';
import { shownCriticalPath, timelineSpan } from './view-state.js';
import { html, svg } from './svg.js';
import { fitText, fontOf, textWidth } from './text-measure.js';
import { niceTicks } from './time-axis.js';
import { criticalPathLabel } from './header-view.js';

const WORDS: Record<string, string> = { failed: 'failed', retrying: 'retrying', skipped: 'skipped', cancelled: 'cancelled', compensated: 'compensated' };

/** Draws the timeline of `state` into `host`; `nowMs`: the live "now", ms since the run started. */
export function renderGantt(host: HTMLElement, state: ViewState, nowMs?: number): void {
    const bars = Object.values(state.bars).sort((a, b) => a.startMs - b.startMs || a.stepId.localeCompare(b.stepId));
    host.replaceChildren(html('h2', undefined, 'Timeline'));
    if (bars.length === 0) {
        host.append(html('p', 'empty', state.running ? 'Waiting for the first step…' : 'Run the workflow to see its timeline.'));
        return;
    }
    const now = Math.max(nowMs ?? 0, (state.lastEventAt ?? 0) - (state.runStart ?? 0));
    const span = timelineSpan(state, state.running ? now : undefined);
    const font = fontOf(host);
    const size = parseFloat(getComputedStyle(host).fontSize) || 13;
    const row = Math.round(size * 1.85);
    const axisH = Math.round(size * 1.9);
    const width = Math.max(240, host.clientWidth || 600);
    const label = Math.min(Math.round(width * 0.35), Math.max(...bars.map((b) => textWidth(b.stepId, font))) + 14);
    const right = 12;
    const plot = Math.max(60, width - label - right);
    const ticks = niceTicks(span, Math.max(1, Math.floor(plot / (size * 6))));
    const end = ticks[ticks.length - 1]!.ms;
    const scale = plot / end;
    const path = shownCriticalPath(state);
    const critical = new Set(path?.steps ?? []);
    if (path && critical.size > 0) {
        // Which path the marked bars are: predicted during a run, measured after it.
        const legend = html('p', 'legend gantt-legend');
        legend.dataset.criticalPathKind = path.kind;
        legend.append(html('span', 'legend-critical', criticalPathLabel(path.kind)), html('span', undefined, ' marked'));
        host.append(legend);
    }
    const height = bars.length * row + axisH;
    const root = svg('svg', { class: 'gantt', width, height, role: 'img', 'aria-label': `Timeline of ${bars.length} steps over ${formatDuration(span)}` });
    const defs = svg('defs');
    const hatch = svg('pattern', { id: 'hatch', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' });
    hatch.append(svg('rect', { width: 6, height: 6, class: 'hatch-bg' }), svg('line', { x1: 0, y1: 0, x2: 0, y2: 6, class: 'hatch-line' }));
    defs.append(hatch);
    root.append(defs);
    ticks.forEach((t, i) => {
        const x = label + t.ms * scale;
        root.append(svg('line', { x1: x, y1: 0, x2: x, y2: height - axisH + 4, class: 'gantt-grid' }));
        const anchor = i === 0 ? 'start' : i === ticks.length - 1 ? 'end' : 'middle';
        root.append(svg('text', { x, y: height - axisH * 0.25, class: 'gantt-axis', 'text-anchor': anchor }, t.label));
    });
    if (state.running) {
        const x = label + Math.min(now, end) * scale;
        root.append(svg('line', { x1: x, y1: 0, x2: x, y2: height - axisH + 4, class: 'gantt-now' }));
    }
    bars.forEach((bar, i) => {
        const y = i * row;
        const stop = bar.endMs ?? Math.max(bar.startMs, now);
        const x = label + bar.startMs * scale;
        const w = Math.max(2, (stop - bar.startMs) * scale);
        const g = svg('g', { class: `gantt-row status-${bar.status}${critical.has(bar.stepId) ? ' critical' : ''}`, 'data-step': bar.stepId });
        g.append(svg('text', { x: 0, y: y + row * 0.68, class: 'gantt-label' }, fitText(bar.stepId, label - 10, font)));
        g.append(svg('rect', { x, y: y + row * 0.18, width: w, height: row * 0.64, rx: 3, class: 'gantt-bar' }));
        const word = WORDS[bar.status];
        if (word) {
            const text = bar.attempts > 1 ? `${word} · ${bar.attempts} attempts` : word;
            const tw = textWidth(text, font);
            const after = x + w + 4 + tw <= width;
            // After the bar, else inside its end (haloed in the background colour).
            g.append(svg('text', { x: after ? x + w + 4 : x + w - 4, y: y + row * 0.68, class: `gantt-status${after ? '' : ' inside'}`, 'text-anchor': after ? 'start' : 'end' }, text));
        }
        g.append(svg('title', {}, `${bar.stepId}: ${bar.status}, ${formatDuration(stop - bar.startMs)}${bar.attempts > 1 ? `, ${bar.attempts} attempts` : ''}`));
        root.append(g);
    });
    host.append(root);
}
