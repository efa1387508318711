/**
 * `kmflow/runTests` cancelled within a file, over a real stdio connection: the Test
 * Explorer's Cancel (`kmflow/cancelRun`, as soon as the first result is streamed) starts
 * no more of the file's tests; the answer says `cancelled` and lists each test without a
 * result as skipped, none of them failed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Refusal, TestResultParams, TestRunResult } from '../../src/shared/lsp-protocol.js';
import { LspClient } from './lsp-client.js';

const TESTS = 40;
/** Each test's run waits 200 times on its fake clock, one step after another: it takes many turns of the server's loop. */
const SLOW = `workflow slow {
${Array.from({ length: 200 }, (_, i) => `    step d${i} uses delay { ${i > 0 ? `after d${i - 1} ` : ''}with { ms: 1000 } }`).join('\n')}
}
${Array.from({ length: TESTS }, (_, i) => `test "slow ${i}" for slow {\n    expect run.status == "succeeded"\n}`).join('\n')}
`;

let root: string;
let client: LspClient;

beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-lsp-cancel-'));
    fs.writeFileSync(path.join(root, 'slow.kmflow'), SLOW);
    client = await LspClient.start(root, { initializationOptions: { trusted: true } });
}, 30_000);

afterAll(async () => {
    await client?.stop();
    fs.rmSync(root, { recursive: true, force: true });
});

describe('kmflow/runTests cancelled within a file', () => {
    it('stops scheduling at the cancel and answers the rest as skipped', async () => {
        const uri = pathToFileURL(path.join(root, 'slow.kmflow')).toString();
        const streamed: string[] = [];
        client.connection.onNotification('kmflow/testResult', (p: TestResultParams) => {
            if (streamed.push(p.result.title) === 1) {
                void client.connection.sendNotification('kmflow/cancelRun', { runId: 'cancel-me' });
            }
        });
        const answer = await client.connection.sendRequest<TestRunResult | Refusal>('kmflow/runTests', { runId: 'cancel-me', uris: [uri] });
        expect(answer).toMatchObject({ kind: 'tests', cancelled: true, failed: 0, errored: 0 });
        const { results, skipped } = answer as TestRunResult;
        expect(results.length).toBeGreaterThanOrEqual(1);
        expect(results.every((r) => r.status === 'passed')).toBe(true);
        expect(skipped!.length).toBeGreaterThan(TESTS / 2);
        expect([...results.map((r) => r.title), ...skipped!.map((s) => s.title)].sort())
            .toEqual(Array.from({ length: TESTS }, (_, i) => `slow ${i}`).sort());
        expect(skipped!.every((s) => s.uri === uri && s.workflow === 'slow')).toBe(true);
        expect(streamed.sort()).toEqual(results.map((r) => r.title).sort());
    }, 60_000);
});
