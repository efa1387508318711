/**
 * `kmflow/prepare`, `kmflow/checkInput` and `kmflow/run` in the server: the editor's
 * text (validated by the server's own Langium) is what runs, live events go out as
 * notifications, refusals are placed in the file, a run is cancelled by its request's
 * token or by `kmflow/cancelRun`, and an untrusted workspace runs nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CancellationTokenSource } from 'vscode-languageserver';
import { serversUsed } from '../../src/app/connect.js';
import { sealSecrets } from '../../src/extension/secret-seal.js';
import { checkInputRequest, prepareRequest } from '../../src/server/requests/prepare.js';
import { cancelRunNotification, runRequest } from '../../src/server/requests/run.js';
import { fixtureText, ok, startTestServer, type TestServer } from './helpers.js';
import { prepareText } from '../helpers/app-runs.js';

let server: TestServer;
beforeEach(async () => {
    server = await startTestServer();
});
afterEach(() => server.dispose());

const PIPELINE = fixtureText('pipeline.kmflow');

describe('kmflow/prepare', () => {
    it('answers the workflow, its steps with lines, the inputs to ask and the graph', async () => {
        const uri = await server.file('flow.kmflow', PIPELINE, PIPELINE.replace('mode parallel', 'mode parallel\n    input who: string\n    input n: number = 2'));
        const p = ok(await prepareRequest(server.ctx, { uri }));
        expect(p.workflow).toBe('pipeline');
        expect(p.file).toBe('flow.kmflow');
        expect(p.root).toBe(server.root);
        expect(p.steps.map((s) => [s.id, s.tool, s.line])).toEqual([
            ['fetch_a', 'delay', 6], ['fetch_b', 'delay', 7], ['merge', 'template', 8], ['side', 'log', 11], ['report', 'log', 12],
        ]);
        expect(p.ask).toEqual([{ name: 'who', type: 'string', hasDefault: false }]);
        expect(p.graph.criticalPath).toEqual(['fetch_a', 'merge', 'report']);
        expect(p.graph.uri).toBe(uri);
        const to = ok(await prepareRequest(server.ctx, { uri, toStep: 'merge' }));
        expect(to.steps.map((s) => s.id)).toEqual(['fetch_a', 'fetch_b', 'merge']);
    });

    it('refuses a document with errors, naming the first one with its line, and an unknown workflow', async () => {
        const uri = await server.file('broken.kmflow', fixtureText('unknown-tool.kmflow'));
        const refused = await prepareRequest(server.ctx, { uri });
        expect(refused).toMatchObject({ kind: 'refused', code: 'check-errors' });
        expect(refused.kind === 'refused' && refused.message).toMatch(/^broken\.kmflow:3:\d+: unknown-tool: /);
        expect(refused.kind === 'refused' && refused.problems[0]).toMatchObject({ line: 3, code: 'unknown-tool' });
        const other = await prepareRequest(server.ctx, { uri: await server.file('flow.kmflow', PIPELINE), workflow: 'nope' });
        expect(other).toMatchObject({ kind: 'refused', code: 'unknown-workflow' });
        expect(other.kind === 'refused' && other.message).toMatch(/no workflow 'nope'/);
    });

    it('checks a typed input as the run converts it', () => {
        expect(checkInputRequest({ input: { name: 'n', type: 'number', hasDefault: false }, text: '3' })).toEqual({});
        expect(checkInputRequest({ input: { name: 'n', type: 'number', hasDefault: false }, text: 'x' }).problem).toMatch(/input 'n' is a number/);
        expect(checkInputRequest({ input: { name: 'l', type: 'list', hasDefault: true }, text: '{}' }).problem).toMatch(/is a list/);
    });
});

describe('kmflow/run', () => {
    it('runs the editor\'s text for real, streaming its events before the answer', async () => {
        const uri = await server.file('flow.kmflow', PIPELINE, PIPELINE.replace('"independent"', '"edited"'));
        const result = ok(await runRequest(server.ctx, { uri, runId: 'r1' }));
        const { report } = result;
        expect(report.status).toBe('succeeded');
        expect(report.steps.map((s) => s.id)).toEqual(['fetch_a', 'fetch_b', 'merge', 'side', 'report']);
        expect(report.steps.find((s) => s.id === 'merge')!.output).toBe('merged succeeded and succeeded');
        expect(report.steps.find((s) => s.id === 'side')!.output).toEqual(expect.objectContaining({ message: 'edited' }));
        const events = server.events('r1');
        expect(events[0]!.type).toBe('run-started');
        expect(events.at(-1)!.type).toBe('run-finished');
        expect(events.filter((e) => e.type === 'step-finished')).toHaveLength(5);
        expect(result.reportFile).toBe('.kmflow/runs/r1.report.json');
        expect(result.graph.criticalPathKind).toBe('measured');
        expect(JSON.parse(fs.readFileSync(path.join(server.root, '.kmflow/runs/r1.source.json'), 'utf8')))
            .toMatchObject({ file: 'flow.kmflow', workflow: 'pipeline', lines: { fetch_a: 4, merge: 6 } });
        expect(server.ctx.runs.size).toBe(0);
    });

    it('cancels through the request\'s token, and through kmflow/cancelRun', async () => {
        const uri = await server.file('flow.kmflow', PIPELINE.replace('ms: 60', 'ms: 5000'));
        const source = new CancellationTokenSource();
        const pending = runRequest(server.ctx, { uri, runId: 'by-token' }, source.token);
        await waitFor(() => server.events('by-token').some((e) => e.type === 'step-started'));
        source.cancel();
        expect(ok(await pending).report.status).toBe('cancelled');
        const other = runRequest(server.ctx, { uri, runId: 'by-note' });
        await waitFor(() => server.events('by-note').some((e) => e.type === 'step-started'));
        cancelRunNotification(server.ctx, { runId: 'by-note' });
        const report = ok(await other).report;
        expect(report.status).toBe('cancelled');
        expect(report.durationMs).toBeLessThan(4000);
    });

    it('refuses a missing required input or a bad one before starting, and converts good ones', async () => {
        const uri = await server.file('flow.kmflow', PIPELINE.replace('mode parallel', 'mode parallel\n    input who: string\n    input n: number = 2')
            .replace('"independent"', '"${input.who} ${input.n}"'));
        const missing = await runRequest(server.ctx, { uri, runId: 'no-input' });
        expect(missing).toMatchObject({ kind: 'refused', code: 'missing-input' });
        expect(missing.kind === 'refused' && missing.message).toMatch(/who/);
        expect(fs.existsSync(path.join(server.root, '.kmflow/runs/no-input.source.json'))).toBe(false);
        expect(await runRequest(server.ctx, { uri, runId: 'bad', inputs: { who: 'x', n: 'many' } })).toMatchObject({ kind: 'refused', code: 'bad-input' });
        const report = ok(await runRequest(server.ctx, { uri, runId: 'good', inputs: { who: 'me', n: '3' } })).report;
        expect(report.steps.find((s) => s.id === 'side')!.output).toEqual(expect.objectContaining({ message: 'me 3' }));
    });

    it('reads sealed secrets with the session key, masks them, and refuses ones it cannot open', async () => {
        const key = randomBytes(32);
        const trusted = await startTestServer({ sessionKey: key });
        const uri = await trusted.file('secret.kmflow', 'workflow s {\n    step a uses log { with { message: "token is ${secret.TOKEN}" } public }\n}\n');
        const report = ok(await runRequest(trusted.ctx, { uri, runId: 'sealed', sealedSecrets: sealSecrets({ TOKEN: 's3cr3t' }, key) })).report;
        expect(JSON.stringify([report, trusted.notes])).not.toContain('s3cr3t');
        expect(JSON.stringify(report)).toContain('token is ***');
        expect(await runRequest(trusted.ctx, { uri, runId: 'wrong', sealedSecrets: sealSecrets({ TOKEN: 'x' }, randomBytes(32)) }))
            .toMatchObject({ kind: 'refused', code: 'sealed-secrets' });
        trusted.dispose();
    });

    it('runs nothing in an untrusted workspace, and writes nothing', async () => {
        const untrusted = await startTestServer({ trusted: false });
        try {
            const uri = await untrusted.file('flow.kmflow', PIPELINE);
            const refused = await runRequest(untrusted.ctx, { uri, runId: 'u' });
            expect(refused).toMatchObject({ kind: 'refused', code: 'untrusted' });
            expect(refused.kind === 'refused' && refused.message).toMatch(/Restricted Mode/);
            expect(fs.existsSync(path.join(untrusted.root, '.kmflow'))).toBe(false);
            // Preparing and drawing still work.
            expect(ok(await prepareRequest(untrusted.ctx, { uri })).workflow).toBe('pipeline');
        } finally {
            untrusted.dispose();
        }
    });

    it('opens no MCP server for a workflow on built-ins only', async () => {
        const prepared = await prepareText({ file: path.join(server.root, 'flow.kmflow'), text: PIPELINE });
        expect(serversUsed(prepared)).toEqual([]);
    });
});

async function waitFor(condition: () => boolean, ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!condition()) {
        if (Date.now() > deadline) {
            throw new Error('timed out');
        }
        await new Promise((r) => setTimeout(r, 10));
    }
}
