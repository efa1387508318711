/**
 * "Promote this Run to a Test" with the run's inputs: a real run in the server, journaled
 * to `.kmflow/runs`, its inputs read back from the journal's header and written as
 * `input` lines — a secret input as a placeholder and a value with a secret inside it
 * masked, each with a comment, neither secret ever in the block — and the promoted block
 * passes when run as a test; a run without a journal gets a comment instead.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runRequest } from '../../src/server/requests/run.js';
import { runTestsRequest } from '../../src/server/requests/tests.js';
import { inputLine, promotedTest } from '../../src/extension/core/promote-test.js';
import { headerInputs, readRunInputs } from '../../src/extension/core/run-inputs.js';
import { ok, startTestServer, type TestServer } from './helpers.js';

const FLOW = `workflow greet_inputs {
    input who: string
    input times: number = 2
    input pin: string secret
    input header: string = "none"
    input tags: list = ["a"]
    step read uses file.read { with { path: "\${input.who}.txt" } }
    step say uses template { with { template: "{{ n }} x{{ t }} {{ h }}", values: { n: read.output.content, t: input.times, h: input.header } } }
}
`;

let server: TestServer;
beforeEach(async () => {
    server = await startTestServer();
});
afterEach(() => server.dispose());

describe('Promote this Run to a Test: inputs', () => {
    it('writes the journaled inputs as input lines, never a secret, and the test passes', async () => {
        fs.writeFileSync(path.join(server.root, 'ada.txt'), 'hello');
        const uri = await server.file('greet.kmflow', FLOW);
        const { report } = ok(await runRequest(server.ctx, {
            uri, runId: 'promote-inputs', secrets: { TOKEN: 's3cr3t-token' },
            inputs: { who: 'ada', times: '3', pin: 'hunter2', header: 'Bearer s3cr3t-token' },
        }));
        expect(report.status).toBe('succeeded');
        const inputs = await readRunInputs([path.join(server.root, 'elsewhere'), server.root], 'promote-inputs');
        expect(inputs).toEqual({ who: 'ada', times: 3, pin: '***', header: 'Bearer ***', tags: ['a'] });
        const block = promotedTest(report, undefined, inputs);
        expect(block.split('\n').filter((l) => l.trim().startsWith('input'))).toEqual([
            '    input who = "ada"',
            '    input times = 3',
            '    input pin = "secret-placeholder" // secret: the run\'s value is never written; put one here if the test needs it',
            '    input header = "Bearer ***" // a secret inside it is masked (***), as in the report',
            '    input tags = ["a"]',
        ]);
        expect(block).not.toMatch(/hunter2|s3cr3t/);
        expect(block).not.toContain('were not journaled');
        await server.open(uri, FLOW + block);
        fs.rmSync(path.join(server.root, 'ada.txt'));
        const result = ok(await runTestsRequest(server.ctx, { runId: 'promoted-inputs', uris: [uri] }));
        expect(result.results.map((r) => [r.title, r.status, r.failures])).toEqual([['greet_inputs as run promote-inputs', 'passed', []]]);
    });

    it('says to add the inputs when the run left no journal, and reads only a run header of that run', async () => {
        expect(await readRunInputs([server.root], 'never-ran')).toBeUndefined();
        const report = { runId: 'r', workflow: 'w', status: 'succeeded', steps: [] } as unknown as Parameters<typeof promotedTest>[0];
        expect(promotedTest(report)).toContain('// Promoted from a run whose inputs were not journaled');
        expect(headerInputs('{"type":"run","runId":"r","inputs":{"a":1}}', 'r')).toEqual({ a: 1 });
        expect(headerInputs('{"type":"run","runId":"other","inputs":{"a":1}}', 'r')).toBeUndefined();
        expect(headerInputs('{"type":"step-started","runId":"r","inputs":{}}', 'r')).toBeUndefined();
        expect(headerInputs('not json', 'r')).toBeUndefined();
        expect(inputLine('odd name', { 'a b': '${x}' })).toBe('input "odd name" = { "a b": "\\${x}" }');
    });
});
