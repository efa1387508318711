/**
 * What a cassette must never hold and must never do: a secret passed to a real server
 * (in any of its forms), volatile `_meta`; a retry split from the call it retries; a
 * crash on a corrupt or old cassette (one CassetteError naming the file and why).
 */
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
    CassetteError, CassetteRecorder, argumentDiff, attemptsOf, type Cassette,
} from '../../../src/engine/state/recordings/index.js';
import { recordedResult } from '../../../src/engine/state/recordings/cassette-values.js';
import type { McpCaller } from '../../../src/engine/tools/connectors/index.js';
import { envelopeServer, everythingServer } from '../../helpers/mcp-servers.js';
import { outcome, runFlow, withServersAbsent, workspace } from './helpers.js';

const SECRET = 'sk-live-7Hq2-cassette-Zx91!';
let ws: Awaited<ReturnType<typeof workspace>>;

beforeAll(async () => {
    ws = await workspace();
});

afterAll(async () => {
    await ws.remove();
});

describe('secrets', () => {
    // The server gets the secret in its environment too, and `get-env` answers with it.
    const flow = `${everythingServer().replace('    args', '    env { SERVER_TOKEN: "\${secret.API_TOKEN}" }\n    args')}
workflow sec {
    step call uses ev.echo { with { message: "token \${secret.API_TOKEN} end" } }
    step b64 uses ev.echo { with { message: "${Buffer.from(SECRET).toString('base64')}" } }
    step environment uses ev."get-env" { with {} }
}
`;

    it('a secret passed to a server never appears in the cassette, in any form; the replay still matches', async () => {
        const file = path.join(ws.root, 'secret.json');
        const recorded = await runFlow(ws.root, flow, { record: file, secrets: { API_TOKEN: SECRET } });
        expect(recorded.status).toBe('succeeded');
        const text = await readFile(file, 'utf8');
        for (const form of [SECRET, Buffer.from(SECRET).toString('base64'), Buffer.from(SECRET).toString('hex'), encodeURIComponent(SECRET)]) {
            expect(text).not.toContain(form);
        }
        const cassette = JSON.parse(text) as Cassette;
        expect(cassette.interactions.map((i) => [i.tool, i.arguments])).toEqual([
            ['echo', { message: 'token *** end' }], ['echo', { message: '***' }], ['get-env', {}],
        ]);
        expect(cassette.interactions[0]!.result).toEqual({ content: [{ type: 'text', text: 'Echo: token *** end' }] });
        expect(JSON.stringify(cassette.interactions[2]!.result)).toContain('SERVER_TOKEN\\": \\"***');
        // The replaying run has the secret too: masked alike, its arguments match.
        const replayed = await runFlow(ws.root, withServersAbsent(flow), { replay: file, secrets: { API_TOKEN: SECRET } });
        expect(replayed.status).toBe('succeeded');
        expect(outcome(replayed)).toEqual(outcome(recorded));
        // Any value of it: the masked arguments are the same.
        const other = await runFlow(ws.root, withServersAbsent(flow).replace(/ {4}step (b64|environment).*\n/g, ''), { replay: file, secrets: { API_TOKEN: 'another-value-1234' } });
        expect(other.steps.map((s) => [s.id, s.status])).toEqual([['call', 'succeeded']]);
    });
});

describe('retries', () => {
    // The envelope fixture's `flaky` answers "failed" (by its server's failure rule) twice, then works.
    const flow = `${envelopeServer()}
workflow flaky {
    step call uses fastmcp.flaky { with {} retry 3 backoff 10ms }
}
`;

    it('keeps a retry and the call it retries as one interaction, and replays every attempt', async () => {
        const file = path.join(ws.root, 'flaky.json');
        const recorded = await runFlow(ws.root, flow, { record: file });
        expect(recorded.steps[0]).toMatchObject({ status: 'succeeded', attempts: 3, output: { success: true, data: { calls: 3 } } });
        const cassette = JSON.parse(await readFile(file, 'utf8')) as Cassette;
        expect(cassette.interactions).toHaveLength(1);
        const [interaction] = cassette.interactions;
        expect(interaction).toMatchObject({ server: 'fastmcp', tool: 'flaky', step: 'call', arguments: {} });
        expect(interaction!.result).toBeUndefined();
        expect(interaction!.attempts!.map((a) => (a.result!.structuredContent as { success: boolean }).success)).toEqual([false, false, true]);
        const replayed = await runFlow(ws.root, withServersAbsent(flow), { replay: file });
        expect(outcome(replayed)).toEqual(outcome(recorded));
    });

    it('groups by the calling task: two steps making the same call are two interactions, a compensation is its own', async () => {
        const recorder = new CassetteRecorder();
        let n = 0;
        const inner: McpCaller = {
            name: 'srv', trustProblem: () => undefined, close: async () => undefined,
            callTool: async () => {
                n++;
                if (n === 1) {
                    throw Object.assign(new Error('hiccup'), { name: 'Error' });
                }
                return { content: [{ type: 'text', text: `answer ${n}` }] };
            },
        };
        const caller = recorder.caller(inner);
        // The engine hands every call of one task the same context object (`Task`).
        const task1 = { stepId: 'a', compensating: false };
        const task2 = { stepId: 'b', compensating: false };
        const call = (context: object) => caller.callTool('t', { x: 1 }, { toolId: 'srv.t', signal: new AbortController().signal, context: context as never });
        await expect(call(task1)).rejects.toThrow('hiccup');
        await call(task1); // a's retry
        await call(task2);
        task1.compensating = true;
        await call(task1); // a's compensation, calling the same
        const { interactions } = recorder.cassette({ workflows: ['w'] });
        expect(interactions.map((i) => [i.step, attemptsOf(i).length])).toEqual([['a', 2], ['b', 1], ['a', 1]]);
        expect(interactions[0]!.attempts![0]!.error).toMatchObject({ code: 'tool-error', message: 'hiccup' });
    });
});

describe('unusable cassettes', () => {
    const flow = `${everythingServer()}
workflow w {
    step call uses ev.echo { with { message: "hi" } }
}
`;
    const cases: Array<[string, string, string]> = [
        ['corrupt.json', '{"version": 1, "servers": {', 'is not valid JSON'],
        ['old.json', '{"version": 0, "calls": []}', 'has format version 0, an older one; this kmflow reads version 1 only: record it again'],
        ['newer.json', '{"version": 7, "servers": {}, "interactions": []}', 'has format version 7, from a newer kmflow'],
        ['unversioned.json', '{"servers": {}, "interactions": []}', 'has no `version` field'],
        ['array.json', '[1, 2]', 'is not a cassette'],
        ['malformed.json', '{"version": 1, "servers": {}, "interactions": [{"server": "ev", "tool": "echo", "arguments": {}}]}',
            'interactions[0] needs exactly one of `result` and `error`'],
    ];

    it.each(cases)('%s: one clear error naming the file and why, before anything runs', async (name, text, why) => {
        const file = path.join(ws.root, name);
        await writeFile(file, text);
        const failure = await runFlow(ws.root, withServersAbsent(flow), { replay: file }).then(() => undefined, (err: unknown) => err);
        expect(failure).toBeInstanceOf(CassetteError);
        expect((failure as CassetteError).message).toContain(`cassette ${file}: ${why}`);
    });

    it('a missing file says how to record one', async () => {
        const file = path.join(ws.root, 'absent.json');
        await expect(runFlow(ws.root, withServersAbsent(flow), { replay: file })).rejects.toThrow(`cassette ${file}: no such file`);
    });
});

describe('values', () => {
    it('drops volatile _meta keys, keeping the ones the engine reads', () => {
        const result = recordedResult({
            content: [{ type: 'text', text: 'x', _meta: { requestId: 'r-1' } }],
            isError: true,
            _meta: { retryable: true, progressToken: 42, 'io.modelcontextprotocol/related-task': { taskId: 't-9' } },
        });
        expect(result).toEqual({ content: [{ type: 'text', text: 'x' }], isError: true, _meta: { retryable: true } });
    });

    it('diffs arguments path by path', () => {
        expect(argumentDiff({ a: 1, list: [1, 2], o: { k: 'v' } }, { a: 1, list: [1], o: { k: 'w', n: null } })).toEqual([
            '- list[1]: 2', '- o.k: "v"', '+ o.k: "w"', '+ o.n: null',
        ]);
    });
});
