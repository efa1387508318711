/**
 * `kmflow/tests` and `kmflow/runTests` in the server: the test blocks of the editor's
 * documents (unsaved edits included) listed with their ranges, run through the app
 * layer's test runner (real stubs, real fake-clock runs), each result streamed as a
 * `kmflow/testResult` before the answer, a failed expectation placed at its `expect`
 * line with expected and actual, a file with errors running nothing, and the
 * `record` parameter of `kmflow/run` writing a cassette.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CancellationTokenSource } from 'vscode-languageserver';
import { runRequest } from '../../src/server/requests/run.js';
import { runTestsRequest, testsRequest } from '../../src/server/requests/tests.js';
import type { TestResultParams } from '../../src/shared/lsp-protocol.js';
import { promotedTest } from '../../src/extension/core/promote-test.js';
import { ok, startTestServer, type TestServer } from './helpers.js';

export const TESTED = `server ev { command "/nonexistent/never-started" }
tool fetch { via ev "fetch" }
workflow greet {
    step ask uses fetch
    step say uses template { with { template: "hi {{ name }}", values: { name: ask.output.name } } }
}
test "greets the name it fetched" for greet {
    given ask returns { name: "Ada" }
    expect say.output == "hi Ada"
}
test "expects another name" for greet {
    given ask returns { name: "Bob" }
    expect say.status == "succeeded"
    expect say.output == "hi Ada"
}
`;

let server: TestServer;
beforeEach(async () => {
    server = await startTestServer();
});
afterEach(() => server.dispose());

const streamed = (runId: string): TestResultParams['result'][] => server.notes
    .filter((n) => n.method === 'kmflow/testResult' && (n.params as TestResultParams).runId === runId)
    .map((n) => (n.params as TestResultParams).result);

describe('kmflow/tests', () => {
    it('lists the test blocks of a document, and of the workspace, with their ranges', async () => {
        const uri = await server.file('greet.kmflow', TESTED);
        await server.file('plain.kmflow', 'workflow w {\n    step a uses log { with { message: "x" } }\n}\n');
        const one = await testsRequest(server.ctx, { uri });
        expect(one.files).toHaveLength(1);
        expect(one.files[0]).toMatchObject({ uri, file: 'greet.kmflow' });
        expect(one.files[0]!.tests.map((t) => [t.title, t.workflow, t.range.start.line, t.range.end.line])).toEqual([
            ['greets the name it fetched', 'greet', 6, 9], ['expects another name', 'greet', 10, 14],
        ]);
        const all = await testsRequest(server.ctx, {});
        expect(all.files.map((f) => f.file)).toEqual(['greet.kmflow']);
    });

    it('lists the editor\'s unsaved text', async () => {
        const uri = await server.file('greet.kmflow', TESTED, TESTED.replace('"expects another name"', '"renamed"'));
        const { files } = await testsRequest(server.ctx, { uri });
        expect(files[0]!.tests.map((t) => t.title)).toEqual(['greets the name it fetched', 'renamed']);
    });
});

describe('kmflow/runTests', () => {
    it('runs them: one passes, one fails at its expect line with expected and actual, results streamed first', async () => {
        const uri = await server.file('greet.kmflow', TESTED);
        const result = ok(await runTestsRequest(server.ctx, { runId: 't1', uris: [uri] }));
        expect(result).toMatchObject({ kind: 'tests', passed: 1, failed: 1, errored: 0 });
        const byTitle = Object.fromEntries(result.results.map((r) => [r.title, r]));
        expect(byTitle['greets the name it fetched']).toMatchObject({ uri, status: 'passed', failures: [], runStatus: 'succeeded', passedExpectations: 1 });
        const failed = byTitle['expects another name']!;
        expect(failed.status).toBe('failed');
        expect(failed.passedExpectations).toBe(1);
        expect(failed.failures).toEqual([expect.objectContaining({ uri, line: 14, kind: 'expect', expected: 'hi Ada', actual: 'hi Bob' })]);
        expect(failed.durationMs).toBeGreaterThanOrEqual(0);
        expect(streamed('t1').map((r) => r.title).sort()).toEqual(result.results.map((r) => r.title).sort());
        expect(server.ctx.runs.size).toBe(0);
    });

    it('runs only the titles asked for, with the editor\'s text', async () => {
        const uri = await server.file('greet.kmflow', TESTED, TESTED.replace('given ask returns { name: "Ada" }', ''));
        const result = ok(await runTestsRequest(server.ctx, { runId: 't2', uris: [uri], titles: ['greets the name it fetched'] }));
        expect(result.results.map((r) => r.title)).toEqual(['greets the name it fetched']);
        // Unsaved: its stub is gone, so the call is answered by nothing.
        expect(result.results[0]).toMatchObject({ status: 'failed', failures: expect.arrayContaining([expect.objectContaining({ kind: 'no-stub', uri })]) });
    });

    it('runs nothing of a file with errors: its tests are errored at the first error', async () => {
        const uri = await server.file('greet.kmflow', TESTED.replace('step ask uses fetch', 'step ask uses nosuchtool'));
        const result = ok(await runTestsRequest(server.ctx, { runId: 't3', uris: [uri] }));
        expect(result).toMatchObject({ passed: 0, failed: 0, errored: 2 });
        expect(result.results[0]!.failures[0]).toMatchObject({ uri, line: 4, kind: 'check-errors' });
        expect(result.results[0]!.failures[0]!.message).toMatch(/^not run: greet\.kmflow:4:\d+: unknown-tool/);
    });

    it('stops before the next document when cancelled, and is refused untrusted', async () => {
        const uri = await server.file('greet.kmflow', TESTED);
        const source = new CancellationTokenSource();
        source.cancel();
        const cancelled = ok(await runTestsRequest(server.ctx, { runId: 't4', uris: [uri] }, source.token));
        expect(cancelled).toMatchObject({ cancelled: true, results: [] });
        const untrusted = await startTestServer({ trusted: false });
        try {
            const refused = await runTestsRequest(untrusted.ctx, { runId: 't5', uris: [await untrusted.file('greet.kmflow', TESTED)] });
            expect(refused).toMatchObject({ kind: 'refused', code: 'untrusted' });
        } finally {
            untrusted.dispose();
        }
    });
});

describe('kmflow/run with record', () => {
    it('writes the cassette the run recorded and says where', async () => {
        const uri = await server.file('flow.kmflow', 'workflow flow {\n    step a uses log { with { message: "x" } }\n}\n');
        const result = ok(await runRequest(server.ctx, { uri, runId: 'rec1', record: 'smoke' }));
        expect(result.report.status).toBe('succeeded');
        expect(result.recorded).toBe('.kmflow/recordings/smoke.json');
        expect(JSON.parse(fs.readFileSync(path.join(server.root, '.kmflow/recordings/smoke.json'), 'utf8'))).toMatchObject({ version: 1, workflows: ['flow'] });
    });
});

describe('Promote this Run to a Test', () => {
    it('a real run, promoted, is a test that passes: its tool answers stubbed, its secret still masked', async () => {
        const flow = 'workflow notes {\n    step read uses file.read { with { path: "notes.txt" } }\n'
            + '    step say uses template { with { template: "{{ t }} ${secret.TOKEN}", values: { t: read.output.content } } }\n}\n';
        fs.writeFileSync(path.join(server.root, 'notes.txt'), 'hello');
        const uri = await server.file('notes.kmflow', flow);
        const { report } = ok(await runRequest(server.ctx, { uri, runId: 'promote-me', secrets: { TOKEN: 'hunter2' } }));
        expect(report.status).toBe('succeeded');
        const block = promotedTest(report);
        expect(block).toContain('test "notes as run promote-me" for notes {');
        expect(block).toMatch(/given read returns \{ .*content: "hello"/);
        expect(block).not.toContain('given say');
        expect(block).toContain('expect say.status == "succeeded"');
        expect(block).not.toContain('hunter2');
        await server.open(uri, flow + block.replace('{\n', '{\n    secret TOKEN = "x"\n'));
        fs.rmSync(path.join(server.root, 'notes.txt'));
        const result = ok(await runTestsRequest(server.ctx, { runId: 'promoted', uris: [uri] }));
        expect(result.results.map((r) => [r.title, r.status, r.failures])).toEqual([['notes as run promote-me', 'passed', []]]);
    });
});
