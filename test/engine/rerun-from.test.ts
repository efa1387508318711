/**
 * "Rerun from here": a resume that runs a step and everything downstream of it again,
 * even when they completed, while the steps before it (and beside it) keep their
 * journaled outputs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/engine/run/clock.js';
import { RunSetupError } from '../../src/engine/run/run-setup.js';
import type { RunReport } from '../../src/engine/run/run-types.js';
import { runWorkflow } from '../../src/engine/run/scheduler.js';
import { lit, ref, setup, step, tool, workflow } from './helpers.js';

let dir: string;
beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-rerun-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const byId = (report: RunReport, id: string) => report.steps.find((s) => s.id === id)!;

describe('rerun from a step', () => {
    it('runs the step and its dependants again, restores the rest', async () => {
        let calls = 0;
        const s = setup([tool('t', { readOnly: true })], { '*': (p) => ({ n: ++calls, v: p.v ?? null }) });
        const wf = workflow([
            step('a', 't', { v: lit('a') }),
            step('b', 't', { v: ref('a', 'output', 'n') }),
            step('c', 't', { v: ref('b', 'output', 'n') }),
            step('d', 't', { v: lit('d') }),
        ]);
        const options = { registry: s.registry, connectors: s.connectors, clock: new FakeClock(0), root: dir, journalDir: dir };
        const first = await runWorkflow(wf, { ...options, runId: 'r1' });
        expect(first.status).toBe('succeeded');
        const second = await runWorkflow(wf, { ...options, runId: 'r2', resume: { runId: 'r1', rerunFrom: 'b' } });
        expect(second.status).toBe('succeeded');
        expect(['a', 'd'].map((id) => byId(second, id).resumed)).toEqual([true, true]);
        expect(['b', 'c'].map((id) => byId(second, id).resumed)).toEqual([undefined, undefined]);
        expect(byId(second, 'b').attempts).toBe(1);
        // b read a's journaled output; c read b's new one.
        expect(byId(second, 'b').output).toEqual({ n: 5, v: 1 });
        expect(byId(second, 'c').output).toEqual({ n: 6, v: 5 });
        expect(calls).toBe(6);
    });

    it('refuses a step the workflow does not have, naming it', async () => {
        const s = setup([tool('t')], { '*': () => ({}) });
        const wf = workflow([step('a', 't')]);
        const options = { registry: s.registry, connectors: s.connectors, clock: new FakeClock(0), root: dir, journalDir: dir };
        await runWorkflow(wf, { ...options, runId: 'r1' });
        const refused = runWorkflow(wf, { ...options, runId: 'r2', resume: { runId: 'r1', rerunFrom: 'zz' } });
        await expect(refused).rejects.toBeInstanceOf(RunSetupError);
        await expect(refused).rejects.toThrow("cannot rerun from step 'zz'");
    });
});
