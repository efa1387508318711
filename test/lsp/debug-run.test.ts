/**
 * A debug run over a real stdio connection (`kmflow/run` with `debug`): it stops on
 * entry, after a `step`, at a breakpoint (set at the start or changed with
 * `kmflow/debugBreakpoints`), each stop a `paused` run event with the step, its line, its
 * parameters and the finished steps' outputs, secrets masked; `kmflow/debugResume` goes
 * on; `kmflow/cancelRun` ends a paused run.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DebugAck, DebugPausedParams, RunDone, RunEventParams, RunResult } from '../../src/shared/lsp-protocol.js';
import { LspClient } from './lsp-client.js';

const FLOW = `workflow flow {
    step first uses log { with { message: "one" } }
    step second uses log { with { message: "token \${secret.TOKEN}" } after first public }
    step third uses log { with { message: "three" } after second }
}
`;
const SECRET = 'hunter2-debug';

let root: string;
let client: LspClient;
const paused: DebugPausedParams[] = [];

beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-debug-'));
    fs.writeFileSync(path.join(root, 'flow.kmflow'), FLOW);
    client = await LspClient.start(root, { initializationOptions: { trusted: true } });
    client.connection.onNotification('kmflow/runEvent', (p: RunEventParams | DebugPausedParams) => {
        if (!('event' in p)) {
            paused.push(p);
        }
    });
    client.open(uri(), FLOW);
}, 30_000);

afterAll(async () => {
    await client?.stop();
    fs.rmSync(root, { recursive: true, force: true });
});

const uri = (): string => pathToFileURL(path.join(root, 'flow.kmflow')).toString();

async function nextPause(runId: string, count: number): Promise<DebugPausedParams> {
    const deadline = Date.now() + 15_000;
    for (;;) {
        const mine = paused.filter((p) => p.runId === runId);
        if (mine.length >= count) {
            return mine[count - 1]!;
        }
        if (Date.now() > deadline) {
            throw new Error(`no pause ${count} of ${runId}`);
        }
        await new Promise((r) => setTimeout(r, 20));
    }
}

const resume = (runId: string, action: 'continue' | 'step') =>
    client.connection.sendRequest<DebugAck>('kmflow/debugResume', { runId, action });

describe('a debug run over stdio', () => {
    it('stops on entry, after a step, at a changed breakpoint, then runs to the end', async () => {
        const runId = 'debug-1';
        const result = client.connection.sendRequest<RunResult>('kmflow/run', {
            uri: uri(), runId, secrets: { TOKEN: SECRET }, debug: { breakpoints: [], stopOnEntry: true },
        });
        const entry = await nextPause(runId, 1);
        expect(entry).toMatchObject({ kind: 'paused', step: 'first', line: 2, reason: 'entry', params: { message: 'one' }, outputs: {} });
        // Held: nothing goes on until a resume.
        await new Promise((r) => setTimeout(r, 100));
        expect(paused.filter((p) => p.runId === runId)).toHaveLength(1);
        expect(await resume(runId, 'step')).toEqual({ ok: true });
        const second = await nextPause(runId, 2);
        expect(second).toMatchObject({ step: 'second', line: 3, reason: 'step', params: { message: 'token ***' } });
        expect(Object.keys(second.outputs)).toEqual(['first']);
        expect(await client.connection.sendRequest<DebugAck>('kmflow/debugBreakpoints', { runId, breakpoints: ['third'] })).toEqual({ ok: true });
        expect(await resume(runId, 'continue')).toEqual({ ok: true });
        const third = await nextPause(runId, 3);
        expect(third).toMatchObject({ step: 'third', line: 4, reason: 'breakpoint' });
        expect(Object.keys(third.outputs).sort()).toEqual(['first', 'second']);
        expect(JSON.stringify(paused)).not.toContain(SECRET);
        expect(await resume(runId, 'continue')).toEqual({ ok: true });
        const done = await result;
        expect(done).toMatchObject({ kind: 'report', report: { status: 'succeeded' } });
        expect((done as RunDone).report.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
        // Over: nothing to resume.
        expect(await resume(runId, 'continue')).toEqual({ ok: false });
    });

    it('runs through without a stop when no breakpoint is met', async () => {
        const runId = 'debug-2';
        const done = await client.connection.sendRequest<RunResult>('kmflow/run', {
            uri: uri(), runId, secrets: { TOKEN: SECRET }, debug: { breakpoints: ['nowhere'], stopOnEntry: false },
        });
        expect(done).toMatchObject({ kind: 'report', report: { status: 'succeeded' } });
        expect(paused.filter((p) => p.runId === runId)).toEqual([]);
    });

    it('kmflow/cancelRun ends a paused run: cancelled, the rest skipped', async () => {
        const runId = 'debug-3';
        const result = client.connection.sendRequest<RunResult>('kmflow/run', {
            uri: uri(), runId, secrets: { TOKEN: SECRET }, debug: { breakpoints: ['second'], stopOnEntry: false },
        });
        expect(await nextPause(runId, 1)).toMatchObject({ step: 'second', reason: 'breakpoint' });
        await client.connection.sendNotification('kmflow/cancelRun', { runId });
        const done = (await result) as RunDone;
        expect(done.report.status).toBe('cancelled');
        expect(done.report.steps.map((s) => [s.id, s.status])).toEqual([['first', 'succeeded'], ['second', 'cancelled'], ['third', 'skipped']]);
    });
});
