/**
 * The webview's pure parts, in Node: the message guards of the new messages, the
 * host's replay book (follow and switch back, a live run of a workflow not on show, the
 * retried attempts a finished run keeps), the view state's errors and live clock, the
 * time axis, keyboard navigation, the fit and zoom arithmetic; and that what the engine
 * exports as its report and event types is what the webview reads (src/shared/run-report.ts).
 */
import { describe, expect, it } from 'vitest';
import type { RunEvent as EngineRunEvent, RunReport as EngineRunReport, StepError as EngineStepError } from '../../src/engine/run/run-types.js';
import { isHostMessage, isWebviewMessage, type GraphMessage, type HostMessage, type RunEvent, type RunReport, type StepError } from '../../src/shared/messages.js';
import { ReplayBook } from '../../src/shared/replay.js';
import { neighbour, type Box } from '../../src/webview/graph-keys.js';
import { niceTicks } from '../../src/webview/time-axis.js';
import { applyMessage, initialState, stepInfo, timelineSpan } from '../../src/webview/view-state.js';
import { fitTransform, zoomAround } from '../../src/webview/viewport.js';
import { failingRun, pipelineGraph } from './workflows.js';

// Compile-time: what the engine produces is what the webview reads.
export const engineFitsWire: [RunReport, RunEvent, StepError] = [{} as EngineRunReport, {} as EngineRunEvent, {} as EngineStepError];

const ev = (event: RunEvent): HostMessage => ({ type: 'run-event', event });

describe('the messages', () => {
    it('accept the pane\'s actions, the pin, copy and show-step, and nothing malformed', () => {
        expect(isWebviewMessage({ type: 'step-action', action: 'rerun-from', runId: 'r1', stepId: 's' })).toBe(true);
        expect(isWebviewMessage({ type: 'step-action', action: 'resume', runId: 'r1' })).toBe(true);
        expect(isWebviewMessage({ type: 'step-action', action: 'delete', runId: 'r1' })).toBe(false);
        expect(isWebviewMessage({ type: 'step-action', action: 'resume', runId: '' })).toBe(false);
        expect(isWebviewMessage({ type: 'pin', pinned: true })).toBe(true);
        expect(isWebviewMessage({ type: 'pin', pinned: 'yes' })).toBe(false);
        expect(isWebviewMessage({ type: 'copy', text: '{}' })).toBe(true);
        expect(isWebviewMessage({ type: 'copy', text: 42 })).toBe(false);
        expect(isHostMessage({ type: 'show-step', stepId: 'a' })).toBe(true);
        expect(isHostMessage({ type: 'show-step' })).toBe(false);
        expect(isHostMessage({ type: 'notice', text: '' })).toBe(true);
        expect(isHostMessage({ type: 'pin', pinned: false })).toBe(true);
    });
});

describe('the replay book', () => {
    it('switches between graphs and back, each with its latest run', async () => {
        const run = await failingRun();
        const other: GraphMessage = await pipelineGraph('other', 3);
        const book = new ReplayBook();
        expect(book.record(run.graph)).toEqual([run.graph]);
        const started = run.events.find((e) => e.type === 'run-started')!;
        expect(book.record(ev(started))).toHaveLength(1);
        expect(book.live).toBe(true);
        // The panel follows another editor mid-run: the run's events are kept, not posted.
        expect(book.record(other)).toEqual([other]);
        const rest = run.events.filter((e) => e !== started);
        for (const e of rest.slice(0, -1)) {
            expect(book.record(ev(e))).toEqual([]);
        }
        const finished = rest[rest.length - 1]!;
        expect(book.record(ev(finished))).toEqual([]);
        // Re-sent with measured durations after the run: it does not take the panel back.
        expect(book.record({ ...run.graph, criticalPath: [] })).toEqual([]);
        expect(book.graph).toBe(other);
        // Switching back: the graph, then the run's start, its retried attempts and its report.
        const back = book.record(run.graph);
        expect(back[0]).toBe(run.graph);
        const kinds = back.slice(1).map((m) => (m.type === 'run-event' ? m.event.type : m.type));
        expect(kinds).toEqual(['run-started', 'step-retrying', 'step-retrying', 'report']);
        expect(book.replay()).toEqual(back);
        expect(book.report(run.report.runId)?.status).toBe('partial');
        // The page rebuilt from the replay knows the retried attempts' errors.
        const state = back.reduce(applyMessage, initialState());
        expect(stepInfo(state, 'flaky')?.retries.map((r) => r.error.code)).toEqual(['KM_CONNECTION_FAILED', 'KM_CONNECTION_FAILED']);
        expect(stepInfo(state, 'invalid')?.error?.advice).toBe('Pass macro_id.');
    });
});

describe('the view state', () => {
    it('keeps errors as steps finish, and a live span that grows with the clock', async () => {
        const run = await failingRun();
        const started = run.events.filter((e) => e.type !== 'run-finished');
        const state = [run.graph, ...started.map(ev)].reduce(applyMessage, initialState());
        expect(state.running).toBe(true);
        expect(state.errors.invalid?.code).toBe('VALIDATION_ERROR');
        expect(timelineSpan(state, 5000)).toBe(5000);
        // Another workflow's report does not paint this graph.
        const foreign = { ...run.report, workflow: 'other' };
        expect(applyMessage(state, { type: 'report', report: foreign })).toBe(state);
    });
});

describe('the time axis', () => {
    it.each([1, 3, 7, 60, 999, 1500, 2500, 9000, 61_000, 250_000])('ticks a %i ms span with distinct labels, past its end', (span) => {
        const ticks = niceTicks(span, 5);
        expect(ticks[0]!.ms).toBe(0);
        expect(ticks[ticks.length - 1]!.ms).toBeGreaterThanOrEqual(span);
        expect(ticks.length).toBeLessThanOrEqual(7);
        expect(new Set(ticks.map((t) => t.label)).size).toBe(ticks.length);
    });
});

describe('keyboard navigation', () => {
    const boxes: Box[] = [
        { id: 'a', x: 100, y: 0, width: 100, height: 40 },
        { id: 'b', x: 0, y: 100, width: 100, height: 40 },
        { id: 'c', x: 200, y: 100, width: 100, height: 40 },
        { id: 'd', x: 100, y: 200, width: 100, height: 40 },
    ];
    it('moves to the nearest node that way, Home and End to the flow\'s ends', () => {
        expect(neighbour(boxes, 'a', 'ArrowDown')).toBe('b'); // the next layer, not the node two layers down
        expect(neighbour(boxes, 'b', 'ArrowRight')).toBe('c');
        expect(neighbour(boxes, 'c', 'ArrowDown')).toBe('d');
        expect(neighbour(boxes, 'a', 'ArrowUp')).toBeUndefined();
        expect(neighbour(boxes, undefined, 'ArrowDown')).toBe('a');
        expect(neighbour(boxes, 'c', 'Home')).toBe('a');
        expect(neighbour(boxes, 'a', 'End')).toBe('d');
        expect(neighbour(boxes, 'a', 'Home', true)).toBe('b'); // left to right: the leftmost first
    });
});

describe('fit and zoom', () => {
    it('fits content inside the view, never above 100 %, and zooms about a fixed point', () => {
        const t = fitTransform({ width: 4000, height: 1000 }, { width: 600, height: 300 });
        expect(t.k).toBeCloseTo(580 / 4000, 6);
        expect(t.x + 4000 * t.k).toBeLessThanOrEqual(600);
        expect(t.y + 1000 * t.k).toBeLessThanOrEqual(300);
        expect(fitTransform({ width: 100, height: 50 }, { width: 600, height: 300 }).k).toBe(1);
        const z = zoomAround(t, 2, 300, 150);
        expect(z.k).toBeCloseTo(t.k * 2, 6);
        // The content point under (300, 150) stays there.
        expect((300 - z.x) / z.k).toBeCloseTo((300 - t.x) / t.k, 6);
        expect((150 - z.y) / z.k).toBeCloseTo((150 - t.y) / t.k, 6);
    });
});
