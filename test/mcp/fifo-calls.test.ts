/**
 * FIFOs inside the root do not wedge the MCP face (issue 12, item 16): four runs reading
 * one at once used to hold every libuv worker in a blocking open(), after which even a
 * plain `log` workflow got no answer. The file tools now refuse a FIFO without opening
 * it for blocking; the face keeps answering.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/engine/run/run-types.js';
import { runAnswer, startOrchestrator, type OrchestratorClient } from './orchestrator-client.js';

let mcp: OrchestratorClient;

beforeAll(async () => {
    mcp = await startOrchestrator();
    execFileSync('mkfifo', [path.join(mcp.root, 'pipe')]);
});

afterAll(async () => {
    await mcp?.close();
});

describe('the MCP face and FIFOs', () => {
    it('four runs reading a FIFO fail at once, and a log workflow still gets its answer', async () => {
        const read = 'workflow r {\n    cache none\n    step r uses file.read { with { path: "pipe" } timeout 1s }\n}\n';
        const reads = await Promise.all([1, 2, 3, 4].map(() => mcp.call({ operation: 'orchestrate', workflow_definition: read })));
        for (const result of reads) {
            const report = runAnswer<RunReport>(result);
            expect(report.steps[0]).toMatchObject({ status: 'failed', error: { code: 'invalid-param', message: "file.read: 'pipe' is not a regular file" } });
        }
        const log = runAnswer<RunReport>(await mcp.call({ operation: 'orchestrate', workflow_definition: 'workflow l {\n    step s uses log { with { message: "here" } }\n}\n' }));
        expect(log.status).toBe('succeeded');
    }, 60_000);
});
