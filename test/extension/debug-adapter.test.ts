/**
 * The `kmflow` debug adapter's message handling (`core/debug-adapter.ts`, no `vscode`)
 * driven with Debug Adapter Protocol messages as VS Code sends them, against a real
 * language server over stdio: breakpoints on step lines verified (others not), a stop at
 * a breakpoint with its frame, Parameters and Outputs (JSON expanded), `next` to the next
 * step, `continue` to the end, `disconnect` cancelling a paused run; the run followed
 * live as a run is (its placeholder in the run history, the stopped step paused).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KmflowDebugAdapter, type DapMessage, type DebugAdapterDeps, type DebugServer } from '../../src/extension/core/debug-adapter.js';
import { RunHistory } from '../../src/extension/core/run-history.js';
import { stepRows } from '../../src/extension/core/step-tree-model.js';
import type { DebugPausedParams, RunEventParams } from '../../src/shared/lsp-protocol.js';
import { LspClient } from '../lsp/lsp-client.js';

const FLOW = `workflow flow {
    step first uses log { with { message: "one" } }
    step second uses log { with { message: "two" } after first }
    step third uses log {
        with { message: "three" }
        after second
    }

    step fourth uses log { with { message: "four" } after third }
}
`;

let root: string;
let file: string;
let client: LspClient;
const listeners = new Map<string, Parameters<DebugServer['listen']>[1]>();

beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-dap-'));
    file = path.join(root, 'flow.kmflow');
    fs.writeFileSync(file, FLOW);
    client = await LspClient.start(root, { initializationOptions: { trusted: true } });
    client.connection.onNotification('kmflow/runEvent', (p: RunEventParams | DebugPausedParams) => {
        const listener = listeners.get(p.runId);
        if ('event' in p) {
            listener?.onEvent(p.event);
        } else {
            listener?.onPaused?.(p);
        }
    });
    client.open(pathToFileURL(file).toString(), FLOW);
}, 30_000);

afterAll(async () => {
    await client?.stop();
    fs.rmSync(root, { recursive: true, force: true });
});

/** An adapter and what it sent, with a way to send requests and wait for messages. */
function session(follow?: DebugAdapterDeps['follow']) {
    const sent: DapMessage[] = [];
    const server: DebugServer = {
        request: (method, params) => client.connection.sendRequest(method, params),
        listen: (runId, listener) => {
            listeners.set(runId, listener);
            return () => listeners.delete(runId);
        },
        cancelRun: (runId) => void client.connection.sendNotification('kmflow/cancelRun', { runId }),
    };
    const adapter = new KmflowDebugAdapter({ server, send: (m) => sent.push(m), ...(follow && { follow }) });
    let seq = 1;
    const waitFor = async (match: (m: DapMessage) => boolean, after = 0): Promise<DapMessage> => {
        const deadline = Date.now() + 15_000;
        for (;;) {
            const found = sent.slice(after).find(match);
            if (found) {
                return found;
            }
            if (Date.now() > deadline) {
                throw new Error(`timed out; sent: ${JSON.stringify(sent.map((m) => m.event ?? m.command))}`);
            }
            await new Promise((r) => setTimeout(r, 10));
        }
    };
    const request = async (command: string, args: Record<string, unknown> = {}): Promise<DapMessage> => {
        const s = seq++;
        adapter.handleMessage({ seq: s, type: 'request', command, arguments: args });
        return waitFor((m) => m.type === 'response' && m.request_seq === s);
    };
    const event = (name: string, after = 0) => waitFor((m) => m.type === 'event' && m.event === name, after);
    return { sent, request, event, adapter };
}

describe('the kmflow debug adapter', () => {
    it('stops at a breakpoint, shows the step, its parameters and outputs, steps, continues to the end', async () => {
        const s = session();
        const init = await s.request('initialize', { adapterID: 'kmflow', linesStartAt1: true });
        expect(init.body).toMatchObject({ supportsConfigurationDoneRequest: true });
        const launch = s.request('launch', { program: file, workflow: 'flow' });
        await s.event('initialized');
        // Line 3: a step's header; 1: the workflow's; 8: blank; 6: inside third's block, shown on its first line.
        const lines = [{ line: 3 }, { line: 1 }, { line: 8 }, { line: 6 }];
        const bps = await s.request('setBreakpoints', { source: { path: file }, breakpoints: lines });
        expect((bps.body as { breakpoints: Array<{ verified: boolean; line: number }> }).breakpoints.map((b) => [b.line, b.verified]))
            .toEqual([[3, true], [1, false], [8, false], [4, true]]);
        await s.request('configurationDone');
        expect((await launch).success).toBe(true);
        const stopped = await s.event('stopped');
        expect(stopped.body).toMatchObject({ reason: 'breakpoint', threadId: 1 });
        expect((await s.request('threads')).body).toEqual({ threads: [{ id: 1, name: 'flow' }] });
        const trace = await s.request('stackTrace', { threadId: 1 });
        expect(trace.body).toMatchObject({ stackFrames: [{ name: 'step second', line: 3, source: { path: file } }], totalFrames: 1 });
        const scopes = (await s.request('scopes', { frameId: 1 })).body as { scopes: Array<{ name: string; variablesReference: number }> };
        expect(scopes.scopes.map((x) => x.name)).toEqual(['Parameters', 'Outputs']);
        const params = (await s.request('variables', { variablesReference: scopes.scopes[0]!.variablesReference })).body as { variables: unknown[] };
        expect(params.variables).toEqual([{ name: 'message', value: '"two"', type: 'string', variablesReference: 0 }]);
        const outputs = (await s.request('variables', { variablesReference: scopes.scopes[1]!.variablesReference })).body as {
            variables: Array<{ name: string; variablesReference: number }>;
        };
        expect(outputs.variables.map((v) => v.name)).toEqual(['first']);
        const count = s.sent.length;
        await s.request('next', { threadId: 1 });
        const next = await s.event('stopped', count);
        expect(next.body).toMatchObject({ reason: 'step' });
        expect((await s.request('stackTrace', { threadId: 1 })).body).toMatchObject({ stackFrames: [{ name: 'step third', line: 4 }] });
        // Breakpoints changed while stopped (on fourth's line only): continue runs to fourth.
        await s.request('setBreakpoints', { source: { path: file }, breakpoints: [{ line: 9 }] });
        const before = s.sent.length;
        await s.request('continue', { threadId: 1 });
        expect((await s.event('stopped', before)).body).toMatchObject({ reason: 'breakpoint' });
        expect((await s.request('stackTrace', { threadId: 1 })).body).toMatchObject({ stackFrames: [{ name: 'step fourth', line: 9 }] });
        await s.request('continue', { threadId: 1 });
        await s.event('terminated');
        expect(s.sent.some((m) => m.event === 'output' && /run succeeded/.test(String((m.body as { output: string }).output)))).toBe(true);
    });

    it('disconnect cancels a paused run', async () => {
        const s = session();
        await s.request('initialize', { adapterID: 'kmflow' });
        const launch = s.request('launch', { program: file, stopOnEntry: true });
        await s.event('initialized');
        await s.request('setBreakpoints', { source: { path: file }, breakpoints: [] });
        await s.request('configurationDone');
        await launch;
        expect((await s.event('stopped')).body).toMatchObject({ reason: 'entry' });
        await s.request('disconnect', {});
        await s.event('terminated');
        expect(s.sent.filter((m) => m.event === 'stopped')).toHaveLength(1);
    });

    it('hands the run to its follower: live in the run history, the stopped step paused, then its report', async () => {
        const history = new RunHistory();
        const ends: string[] = [];
        const s = session((runId, prepared) => {
            history.begin(runId, { id: prepared.workflow, steps: prepared.steps }, { file: prepared.file, workflow: prepared.workflow });
            return {
                onEvent: (e) => history.apply(e),
                onWarning: () => undefined,
                onPaused: (p) => history.pause(p.runId, p.step),
                end: (result) => {
                    ends.push(result && result.kind === 'report' ? result.report.status : 'none');
                    if (result?.kind === 'report') {
                        history.finish(result.report);
                    }
                },
            };
        });
        await s.request('initialize', { adapterID: 'kmflow' });
        const launch = s.request('launch', { program: file, workflow: 'flow' });
        await s.event('initialized');
        await s.request('setBreakpoints', { source: { path: file }, breakpoints: [{ line: 3 }] });
        await s.request('configurationDone');
        await launch;
        await s.event('stopped');
        const run = history.all()[0]!;
        expect(history.isActive(run.runId)).toBe(true);
        const live = () => stepRows(run, (id) => history.liveStep(run.runId, id), true).map((r) => [r.stepId, r.description.split(' · ')[0], r.icon]);
        expect(live()).toEqual([
            ['first', 'succeeded', 'pass'], ['second', 'paused', 'debug-pause'], ['third', 'queued', 'circle-outline'], ['fourth', 'queued', 'circle-outline'],
        ]);
        await s.request('setBreakpoints', { source: { path: file }, breakpoints: [] });
        await s.request('continue', { threadId: 1 });
        await s.event('terminated');
        expect(ends).toEqual(['succeeded']);
        expect(history.isActive(run.runId)).toBe(false);
        expect(history.get(run.runId)!.steps.map((st) => st.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    });
});
