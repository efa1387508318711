/**
 * `plan` and `analyze` see `SERVER.TOOL` steps as `run` does (from the schema lock), and
 * agree on durations: a step that timed out in history is expected to take its timeout,
 * and what depends on it starts after it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { everythingServer } from '../helpers/mcp-servers.js';

let root: string;

beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-plan-'));
    fs.writeFileSync(path.join(root, 'flow.kmflow'), `${everythingServer('ev')}
workflow t {
    errors resilient
    cache intelligent
    step sum uses ev."get-sum" { with { a: 1, b: 2 } }
    step slow uses ev."trigger-long-running-operation" { with { duration: 3, steps: 3 } timeout 500ms }
    step next uses log { with { message: "\${slow.output} \${sum.output}" } }
}
`);
    expect((await runCli(['lock', 'flow.kmflow'], { cwd: root })).code).toBe(0);
    // History: `slow` times out (a 3 s operation against a 500 ms timeout), `next` is skipped.
    const run = await runCli(['run', 'flow.kmflow', '--json'], { cwd: root });
    expect(JSON.parse(run.stdout).steps.find((s: { id: string }) => s.id === 'slow').error.code).toBe('timeout');
}, 120_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('plan and analyze', () => {
    it('know server-listed tools and agree on the critical path', async () => {
        const plan = JSON.parse((await runCli(['plan', 'flow.kmflow', '--json'], { cwd: root })).stdout);
        const analysis = JSON.parse((await runCli(['analyze', 'flow.kmflow', '--json'], { cwd: root })).stdout);
        const step = (id: string) => plan.steps.find((s: { id: string }) => s.id === id);
        expect(step('slow').predictedDurationMs).toBe(500);
        expect(step('next').predictedStartMs).toBe(500);
        expect(plan.criticalPath.lengthMs).toBe(analysis.graph.criticalPath.lengthMs);
        expect(step('sum').cache.reason).not.toMatch(/no tool/);
        expect(analysis.tools.map((t: { id: string }) => t.id)).toEqual(expect.arrayContaining(['ev.get-sum', 'ev.trigger-long-running-operation']));
    });
});
