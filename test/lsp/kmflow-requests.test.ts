/**
 * The language server's `kmflow/…` requests over a real stdio connection (the built
 * `kmflow lsp --stdio`), as the VS Code extension uses them: `kmflow/prepare` and
 * `kmflow/plan` answer for the editor's unsaved text, `kmflow/run` runs it in the server
 * with its events streamed as `kmflow/runEvent` notifications before the answer, with
 * secrets sealed under the session key the client gave the process; a run is cancelled
 * by cancelling its request or by `kmflow/cancelRun`; an untrusted session runs nothing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancellationTokenSource, ErrorCodes, ResponseError } from 'vscode-languageserver-protocol';
import { newSessionKey, sealSecrets, SESSION_KEY_VARIABLE } from '../../src/extension/secret-seal.js';
import type { Markdown, Prepared, Refusal, RunEventParams, RunResult } from '../../src/shared/lsp-protocol.js';
import type { RunEvent } from '../../src/shared/run-report.js';
import { LspClient } from './lsp-client.js';

const FLOW = `workflow flow "Fetch and report" {
    mode parallel
    step fetch uses delay { with { ms: 30 } }
    step slow uses delay { with { ms: 20000 } }
    step report uses log { with { message: "on disk" } after fetch }
}
`;
/** What the editor has: the same file, edited and not saved (no slow step, another message). */
const EDITED = FLOW.replace('    step slow uses delay { with { ms: 20000 } }\n', '').replace('"on disk"', '"token ${secret.TOKEN} unsaved"').replace('after fetch }', 'after fetch public }');

let root: string;
let client: LspClient;
const events = new Map<string, RunEvent[]>();
const key = newSessionKey();

beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-requests-'));
    fs.writeFileSync(path.join(root, 'flow.kmflow'), FLOW);
    client = await LspClient.start(root, { initializationOptions: { trusted: true }, env: { [SESSION_KEY_VARIABLE]: key.toString('base64') } });
    client.connection.onNotification('kmflow/runEvent', (p: RunEventParams) => {
        events.set(p.runId, [...(events.get(p.runId) ?? []), p.event]);
    });
    client.open(uriOf('flow.kmflow'), EDITED);
}, 30_000);

afterAll(async () => {
    await client?.stop();
    fs.rmSync(root, { recursive: true, force: true });
});

const uriOf = (name: string): string => pathToFileURL(path.join(root, name)).toString();

async function eventually(condition: () => boolean, ms = 15_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!condition()) {
        if (Date.now() > deadline) {
            throw new Error('timed out');
        }
        await new Promise((r) => setTimeout(r, 20));
    }
}

describe('kmflow/* over stdio', () => {
    it('prepares and plans the editor\'s unsaved text, once validated', async () => {
        const uri = uriOf('flow.kmflow');
        const prepared = await client.connection.sendRequest<Prepared | Refusal>('kmflow/prepare', { uri });
        expect(prepared).toMatchObject({ kind: 'prepared', workflow: 'flow', title: 'Fetch and report', file: 'flow.kmflow', root });
        const p = prepared as Prepared;
        expect(p.steps).toEqual([{ id: 'fetch', tool: 'delay', line: 3, lastLine: 3 }, { id: 'report', tool: 'log', line: 4, lastLine: 4 }]);
        expect(p.graph).toMatchObject({ type: 'graph', workflow: 'flow', uri, criticalPath: ['fetch', 'report'], criticalPathKind: 'predicted' });
        const plan = await client.connection.sendRequest<Markdown | Refusal>('kmflow/plan', { uri });
        expect(plan).toMatchObject({ kind: 'markdown', workflow: 'flow' });
        expect((plan as Markdown).markdown).toMatch(/^# Plan: flow — Fetch and report/);
        expect((plan as Markdown).markdown).toContain('`fetch` → `report`');
    });

    it('runs it in the server, its events streamed before the answer, its secret sealed and masked', async () => {
        const uri = uriOf('flow.kmflow');
        const result = await client.connection.sendRequest<RunResult>('kmflow/run', {
            uri, runId: 'stdio-run', sealedSecrets: sealSecrets({ TOKEN: 'hunter2' }, key),
        });
        expect(result.kind).toBe('report');
        const { report, reportFile } = result as Extract<RunResult, { kind: 'report' }>;
        expect(report.status).toBe('succeeded');
        expect(report.steps.map((s) => s.id)).toEqual(['fetch', 'report']);
        expect(report.steps[1]!.output).toEqual(expect.objectContaining({ message: 'token *** unsaved' }));
        // Every event arrived before the answer: the last is the run's end.
        const seen = events.get('stdio-run') ?? [];
        expect(seen.map((e) => e.type)).toEqual(['run-started', 'step-started', 'step-finished', 'step-started', 'log', 'step-finished', 'run-finished']);
        expect(JSON.stringify(seen)).not.toContain('hunter2');
        expect(fs.existsSync(path.join(root, reportFile))).toBe(true);
        expect(JSON.parse(fs.readFileSync(path.join(root, '.kmflow/runs/stdio-run.source.json'), 'utf8'))).toMatchObject({ file: 'flow.kmflow', workflow: 'flow' });
    });

    it('cancels a run when its request is cancelled, and on kmflow/cancelRun', async () => {
        const uri = uriOf('slow.kmflow');
        client.open(uri, FLOW.replace('workflow flow', 'workflow slow'));
        const source = new CancellationTokenSource();
        const pending = client.connection.sendRequest<RunResult>('kmflow/run', { uri, runId: 'cancel-by-token' }, source.token);
        await eventually(() => (events.get('cancel-by-token') ?? []).some((e) => e.type === 'step-started' && e.stepId === 'slow'));
        source.cancel();
        const byToken = await pending;
        expect(byToken.kind === 'report' && byToken.report.status).toBe('cancelled');

        const other = client.connection.sendRequest<RunResult>('kmflow/run', { uri, runId: 'cancel-by-note' });
        await eventually(() => (events.get('cancel-by-note') ?? []).some((e) => e.type === 'step-started' && e.stepId === 'slow'));
        await client.connection.sendNotification('kmflow/cancelRun', { runId: 'cancel-by-note' });
        const byNote = await other;
        expect(byNote.kind === 'report' && byNote.report.status).toBe('cancelled');
        expect(byNote.kind === 'report' && byNote.report.durationMs).toBeLessThan(10_000);
        expect((events.get('cancel-by-note') ?? []).at(-1)?.type).toBe('run-finished');
    }, 30_000);

    it('refuses a file with errors with its problems placed, and malformed params', async () => {
        const uri = uriOf('broken.kmflow');
        client.open(uri, 'workflow broken {\n    step a uses no_such_tool\n}\n');
        const refused = await client.connection.sendRequest<RunResult>('kmflow/run', { uri, runId: 'broken' });
        expect(refused).toMatchObject({ kind: 'refused', code: 'check-errors', problems: [{ line: 2, code: 'unknown-tool' }] });
        const error = await client.connection.sendRequest('kmflow/run', { uri, runId: 42 }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ResponseError);
        expect((error as ResponseError<unknown>).code).toBe(ErrorCodes.InvalidParams);
    });
});

describe('an untrusted session', () => {
    it('prepares, but runs nothing and writes nothing', async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-untrusted-'));
        const untrusted = await LspClient.start(dir, { initializationOptions: { trusted: false } });
        try {
            const uri = pathToFileURL(path.join(dir, 'flow.kmflow')).toString();
            untrusted.open(uri, EDITED);
            expect(await untrusted.connection.sendRequest('kmflow/prepare', { uri })).toMatchObject({ kind: 'prepared' });
            const refused = await untrusted.connection.sendRequest<RunResult>('kmflow/run', { uri, runId: 'u' });
            expect(refused).toMatchObject({ kind: 'refused', code: 'untrusted' });
            expect(fs.existsSync(path.join(dir, '.kmflow'))).toBe(false);
        } finally {
            await untrusted.stop();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }, 30_000);
});
