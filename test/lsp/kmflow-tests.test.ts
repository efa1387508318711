/**
 * `kmflow/tests` and `kmflow/runTests` over a real stdio connection (the built `kmflow
 * lsp --stdio`), as VS Code's Test Explorer uses them: the workspace's test blocks
 * listed with their ranges (the editor's unsaved text for an open document), run in the
 * server with each result streamed as a `kmflow/testResult` notification before the
 * answer, a failed expectation placed at its line with expected and actual.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Refusal, TestResultParams, TestRunResult, TestsResult } from '../../src/shared/lsp-protocol.js';
import { LspClient } from './lsp-client.js';

const TESTED = `workflow greeting {
    step ask uses file.read { with { path: "name.txt" } }
    step say uses template { with { template: "hi {{ name }}", values: { name: ask.output.content } } }
}
test "greets the name it read" for greeting {
    given ask returns { content: "Ada" }
    expect say.output == "hi Ada"
}
test "expects another name" for greeting {
    given ask returns { content: "Bob" }
    expect say.output == "hi Ada"
}
`;

let root: string;
let client: LspClient;
const streamed: TestResultParams[] = [];

beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-lsp-tests-'));
    fs.writeFileSync(path.join(root, 'tested.kmflow'), TESTED);
    fs.writeFileSync(path.join(root, 'plain.kmflow'), 'workflow plain {\n    step a uses log { with { message: "x" } }\n}\n');
    client = await LspClient.start(root, { initializationOptions: { trusted: true } });
    client.connection.onNotification('kmflow/testResult', (p: TestResultParams) => streamed.push(p));
}, 30_000);

afterAll(async () => {
    await client?.stop();
    fs.rmSync(root, { recursive: true, force: true });
});

const uriOf = (name: string): string => pathToFileURL(path.join(root, name)).toString();

describe('kmflow/tests and kmflow/runTests over stdio', () => {
    it('lists the workspace\'s test blocks, and an open document\'s unsaved ones', async () => {
        const all = await client.connection.sendRequest<TestsResult>('kmflow/tests', {});
        expect(all.files.map((f) => [f.file, f.tests.map((t) => [t.title, t.workflow, t.range.start.line])])).toEqual([
            ['tested.kmflow', [['greets the name it read', 'greeting', 4], ['expects another name', 'greeting', 8]]],
        ]);
        const uri = uriOf('tested.kmflow');
        client.open(uri, TESTED.replace('"expects another name"', '"unsaved title"'));
        const one = await client.connection.sendRequest<TestsResult>('kmflow/tests', { uri });
        expect(one.files[0]!.tests.map((t) => t.title)).toEqual(['greets the name it read', 'unsaved title']);
        client.open(uri, TESTED);
    });

    it('runs them in the server: results streamed first, one passed, one failed at its expect line', async () => {
        const uri = uriOf('tested.kmflow');
        const result = await client.connection.sendRequest<TestRunResult | Refusal>('kmflow/runTests', { runId: 'lsp-tests', uris: [uri] });
        expect(result).toMatchObject({ kind: 'tests', passed: 1, failed: 1, errored: 0 });
        const { results } = result as TestRunResult;
        expect(streamed.filter((p) => p.runId === 'lsp-tests').map((p) => p.result.title).sort()).toEqual(results.map((r) => r.title).sort());
        const failed = results.find((r) => r.status === 'failed')!;
        expect(failed.title).toBe('expects another name');
        expect(failed.failures).toEqual([expect.objectContaining({ uri, line: 11, kind: 'expect', expected: 'hi Ada', actual: 'hi Bob' })]);
    });

    it('answers malformed params with InvalidParams', async () => {
        await expect(client.connection.sendRequest('kmflow/runTests', { runId: 'bad', uris: 'tested.kmflow' })).rejects.toThrow();
    });
});
