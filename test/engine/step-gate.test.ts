/**
 * A debug run's step gate (`RunOptions.gate`): awaited before each step's call, one step
 * at a time in file order, given masked parameters and outputs; a pause holds the run,
 * `cancel` stops it as a cancellation does.
 */
import { describe, expect, it } from 'vitest';
import { runWorkflow } from '../../src/engine/run/scheduler.js';
import type { GateDecision, GateStep } from '../../src/engine/run/run-types.js';
import { lit, ref, root, setup, step, tool, workflow } from './helpers.js';

const SECRET = 'tok-9f3e2d1c0b';

function fixture() {
    const s = setup([tool('t')], { '*': (p) => ({ echoed: p.v ?? null }) });
    // a and b are independent (a parallel run would start both at once), c needs a.
    const wf = workflow([
        step('a', 't', { v: lit('one') }),
        step('b', 't', { v: root('secret', 'TOKEN') }),
        step('c', 't', { v: ref('a', 'output', 'echoed') }),
    ]);
    return { s, wf };
}

describe('the step gate', () => {
    it('sees every step in file order, one at a time, with parameters resolved and secrets masked', async () => {
        const { s, wf } = fixture();
        const seen: Array<{ id: string; params: unknown; outputs: Record<string, unknown> }> = [];
        const report = await runWorkflow(wf, {
            registry: s.registry, connectors: s.connectors, secrets: { TOKEN: SECRET },
            gate: async (g: GateStep, params) => {
                seen.push({ id: g.id, params, outputs: g.outputs() });
                return 'go';
            },
        });
        expect(report.status).toBe('succeeded');
        expect(seen.map((x) => x.id)).toEqual(['a', 'b', 'c']);
        expect(seen[1]!.params).toEqual({ v: '***' });
        expect(seen[2]!.params).toEqual({ v: 'one' });
        // b's output was computed from a secret: shown as `***`.
        expect(seen[2]!.outputs).toEqual({ a: { echoed: 'one' }, b: '***' });
        expect(JSON.stringify(seen)).not.toContain(SECRET);
        expect(s.connector.maxRunning).toBe(1);
        // The tool itself got the real value.
        expect(s.connector.calls[1]!.params).toEqual({ v: SECRET });
    });

    it('holds the run while the gate waits', async () => {
        const { s, wf } = fixture();
        let release: (d: GateDecision) => void = () => {};
        const held = new Promise<GateDecision>((r) => (release = r));
        const run = runWorkflow(wf, {
            registry: s.registry, connectors: s.connectors, secrets: { TOKEN: SECRET },
            gate: (g) => (g.id === 'b' ? held : Promise.resolve('go')),
        });
        await new Promise((r) => setTimeout(r, 50));
        expect(s.connector.started).toEqual(['a']);
        release('go');
        const report = await run;
        expect(report.status).toBe('succeeded');
        expect(s.connector.started).toEqual(['a', 'b', 'c']);
    });

    it('cancel stops the run cleanly: the gated step cancelled, the rest skipped, nothing called', async () => {
        const { s, wf } = fixture();
        const events: string[] = [];
        const report = await runWorkflow(wf, {
            registry: s.registry, connectors: s.connectors, secrets: { TOKEN: SECRET },
            onEvent: (e) => events.push(e.type),
            gate: async (g) => (g.id === 'b' ? 'cancel' : 'go'),
        });
        expect(report.status).toBe('cancelled');
        const status = Object.fromEntries(report.steps.map((x) => [x.id, x.status]));
        expect(status).toEqual({ a: 'succeeded', b: 'cancelled', c: 'skipped' });
        expect(s.connector.started).toEqual(['a']);
        expect(events.at(-1)).toBe('run-finished');
    });

    it('an external cancellation while paused ends the run; a late answer changes nothing', async () => {
        const { s, wf } = fixture();
        const controller = new AbortController();
        let release: (d: GateDecision) => void = () => {};
        const run = runWorkflow(wf, {
            registry: s.registry, connectors: s.connectors, secrets: { TOKEN: SECRET }, signal: controller.signal,
            gate: (g) => (g.id === 'a' ? new Promise<GateDecision>((r) => (release = r)) : Promise.resolve('go')),
        });
        await new Promise((r) => setTimeout(r, 20));
        controller.abort();
        const report = await run;
        release('go');
        await new Promise((r) => setTimeout(r, 20));
        expect(report.status).toBe('cancelled');
        expect(s.connector.started).toEqual([]);
    });
});
