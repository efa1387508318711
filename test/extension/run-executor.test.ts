import { describe, expect, it } from 'vitest';
import { RunRequestError, convertInputs, prepareWorkflowRun, requiredInputs } from '../../src/extension/core/app-bridge.js';
import { executeRun } from '../../src/extension/core/app-bridge.js';
import { serversUsed } from '../../src/app/connect.js';
import { fixture, runFixture, FIXTURES } from './helpers.js';
import { DENIED } from '../../src/engine/security/trust.js';

describe('running a workflow from the editor text', () => {
    it('runs the fixture for real, with live events and a report', async () => {
        const { events, report } = await runFixture('pipeline.kmflow');
        expect(report.status).toBe('succeeded');
        expect(report.steps.map((s) => s.id)).toEqual(['fetch_a', 'fetch_b', 'merge', 'side', 'report']);
        expect(events[0]!.type).toBe('run-started');
        expect(events.at(-1)!.type).toBe('run-finished');
        expect(events.filter((e) => e.type === 'step-finished')).toHaveLength(5);
        expect(report.steps.find((s) => s.id === 'merge')!.output).toBe('merged succeeded and succeeded');
    });

    it('runs unsaved text, not the file on disk', async () => {
        const f = fixture('pipeline.kmflow');
        const prepared = await prepareWorkflowRun({ uri: f.uri, text: f.text.replace('"independent"', '"edited"') });
        const report = await executeRun(prepared, { root: FIXTURES, trust: DENIED });
        expect(report.steps.find((s) => s.id === 'side')!.output).toEqual(expect.objectContaining({ message: 'edited' }));
    });

    it('refuses a document with errors, naming the first one with its line', async () => {
        const f = fixture('unknown-tool.kmflow');
        await expect(prepareWorkflowRun(f, 'unknown-tool.kmflow')).rejects.toThrow(RunRequestError);
        await expect(prepareWorkflowRun(f, 'unknown-tool.kmflow')).rejects.toThrow(/unknown-tool\.kmflow:3:\d+: unknown-tool: /);
    });

    it('refuses an unknown workflow name', async () => {
        await expect(prepareWorkflowRun({ ...fixture('pipeline.kmflow'), workflow: 'nope' })).rejects.toThrow(/no workflow 'nope'/);
    });

    it('cancels through the AbortSignal', async () => {
        const prepared = await prepareWorkflowRun(fixture('pipeline.kmflow'));
        const controller = new AbortController();
        const pending = executeRun(prepared, {
            root: FIXTURES, trust: DENIED, signal: controller.signal,
            onEvent: (e) => { if (e.type === 'step-started' && e.stepId === 'fetch_a') { controller.abort(); } },
        });
        const report = await pending;
        expect(report.status).toBe('cancelled');
    });

    it('names a missing required input before starting', async () => {
        const f = fixture('pipeline.kmflow');
        const text = f.text.replace('mode parallel', 'mode parallel\n    input who: string');
        const prepared = await prepareWorkflowRun({ uri: f.uri, text });
        expect(requiredInputs(prepared.workflow.inputs).map((i) => i.name)).toEqual(['who']);
        await expect(executeRun(prepared, { root: FIXTURES, trust: DENIED })).rejects.toThrow(/who/);
    });

    it('converts typed inputs and rejects bad ones', () => {
        const inputs = [{ name: 'n', type: 'number' as const, hasDefault: false }, { name: 'l', type: 'list' as const, hasDefault: true, default: [] }];
        expect(convertInputs(inputs, { n: '3', l: '["a"]' })).toEqual({ n: 3, l: ['a'] });
        expect(() => convertInputs(inputs, { n: 'x' })).toThrow(RunRequestError);
    });

    it('opens no MCP server for a workflow on built-ins only', async () => {
        const prepared = await prepareWorkflowRun(fixture('pipeline.kmflow'));
        expect(serversUsed(prepared)).toEqual([]);
    });
});
