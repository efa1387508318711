/** RunOptions hooks the CLI, MCP face and extension pass in. */
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/engine/run/clock.js';
import { runWorkflow } from '../../src/engine/run/scheduler.js';
import { setup, tool, workflow } from './helpers.js';

describe('RunOptions.selectTool', () => {
    it('routes `uses capability` steps when the run starts', async () => {
        const { registry, connectors, connector } = setup([tool('first', { capabilities: ['x'] }), tool('second', { capabilities: ['x'] })], { '*': () => null });
        const wf = workflow([{ id: 's', capability: 'x', with: { kind: 'object', entries: [] }, after: [], requires: [], ensures: [] }], { selection: 'intelligent' });
        const asked: string[][] = [];
        const report = await runWorkflow(wf, {
            registry,
            connectors,
            clock: new FakeClock(),
            selectTool: (capability, candidates) => {
                asked.push([capability, ...candidates.map((c) => c.id)]);
                return candidates[1];
            },
        });
        expect(asked).toEqual([['x', 'first', 'second']]);
        expect(report.steps[0]!.tool).toBe('second');
        expect(connector.calls.map((c) => c.tool)).toEqual(['second']);
    });
});
