import { describe, expect, it } from 'vitest';
import { isHostMessage, isWebviewMessage, type HostMessage } from '../../src/shared/messages.js';
import { graphMessage } from '../../src/server/graph-model.js';
import { applyMessage, initialState, timelineSpan } from '../../src/webview/view-state.js';
import { runFixture } from './helpers.js';

describe('the message protocol', () => {
    it('accepts the webview messages and nothing else', () => {
        expect(isWebviewMessage({ type: 'ready' })).toBe(true);
        expect(isWebviewMessage({ type: 'reveal-step', stepId: 'a' })).toBe(true);
        expect(isWebviewMessage({ type: 'reveal-step', stepId: '' })).toBe(false);
        expect(isWebviewMessage({ type: 'reveal-step' })).toBe(false);
        expect(isWebviewMessage({ type: 'run', command: 'rm -rf' })).toBe(false);
        expect(isWebviewMessage(null)).toBe(false);
        expect(isWebviewMessage('ready')).toBe(false);
    });

    it('accepts host messages of a real run, and rejects malformed ones', async () => {
        const { prepared, events, report } = await runFixture('pipeline.kmflow');
        const messages: HostMessage[] = [
            graphMessage(prepared.workflow, prepared.registry),
            ...events.map((event) => ({ type: 'run-event' as const, event })),
            { type: 'report', report },
        ];
        expect(messages.every(isHostMessage)).toBe(true);
        expect(messages.every((m) => isHostMessage(JSON.parse(JSON.stringify(m))))).toBe(true);
        expect(isHostMessage({ type: 'graph', workflow: 'w' })).toBe(false);
        const graph = { type: 'graph', workflow: 'w', nodes: [], edges: [], criticalPath: [], criticalPathKind: 'predicted' };
        expect(isHostMessage({ ...graph, tools: { log: { server: 'builtin', name: 'log' } } })).toBe(true);
        expect(isHostMessage({ ...graph, tools: ['log'] })).toBe(false);
        expect(isHostMessage({ type: 'run-event', event: {} })).toBe(false);
        expect(isHostMessage({ type: 'report', report: { steps: 'x' } })).toBe(false);
    });
});

describe('the webview state', () => {
    it('folds a real run into statuses and bars', async () => {
        const { prepared, events, report } = await runFixture('pipeline.kmflow');
        const graph = graphMessage(prepared.workflow, prepared.registry);
        let state = applyMessage(initialState(), graph);
        expect(Object.values(state.statuses)).toEqual(['pending', 'pending', 'pending', 'pending', 'pending']);
        const firstStart = events.findIndex((e) => e.type === 'step-started');
        for (const event of events.slice(0, firstStart + 1)) {
            state = applyMessage(state, { type: 'run-event', event });
        }
        expect(state.running).toBe(true);
        expect(Object.values(state.statuses)).toContain('running');
        for (const event of events.slice(firstStart + 1)) {
            state = applyMessage(state, { type: 'run-event', event });
        }
        expect(state.running).toBe(false);
        expect(state.report?.runId).toBe(report.runId);
        expect(Object.values(state.statuses).every((s) => s === 'succeeded')).toBe(true);
        expect(Object.keys(state.bars).sort()).toEqual(graph.nodes.map((n) => n.id).sort());
        expect(timelineSpan(state)).toBe(Math.max(1, report.durationMs));
    });

    it('keeps a replayed report when the graph comes after it', async () => {
        const { prepared, report } = await runFixture('pipeline.kmflow');
        const graph = graphMessage(prepared.workflow, prepared.registry);
        const state = applyMessage(applyMessage(initialState(), { type: 'report', report }), graph);
        expect(state.report?.runId).toBe(report.runId);
        expect(Object.values(state.statuses).every((s) => s === 'succeeded')).toBe(true);
    });

    it('ignores events of another run', async () => {
        const { prepared, events } = await runFixture('pipeline.kmflow');
        const graph = graphMessage(prepared.workflow, prepared.registry);
        const started = applyMessage(applyMessage(initialState(), graph), { type: 'run-event', event: events[0]! });
        const stray = { ...events[1]!, runId: 'other' };
        expect(applyMessage(started, { type: 'run-event', event: stray })).toBe(started);
    });
});
