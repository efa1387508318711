/**
 * `failure { ... }` rules over a real MCP server (the SDK's, over stdio) that reports
 * failure inside normal results, as FastMCP tools do: such a step fails with the
 * server's code, message and advice, and `errors adaptive` retries only retryable codes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { envelopeServer } from '../helpers/mcp-servers.js';

let root: string;

beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-failure-'));
    // The server is declared in a file of its own: the root's declarations are context.
    fs.writeFileSync(path.join(root, 'servers.kmflow'), envelopeServer());
    fs.writeFileSync(path.join(root, 'flow.kmflow'), `workflow w {
    errors adaptive
    step flaky uses fastmcp.flaky { retry 3 backoff 10ms }
    step invalid uses fastmcp.invalid { retry 3 backoff 10ms }
    step after_invalid uses log { with { message: "\${invalid.output}" } }
}
`);
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('failure rules', () => {
    it('fail a step with the server\'s code and advice, retrying only retryable codes', async () => {
        const result = await runCli(['run', 'flow.kmflow', '--json'], { cwd: root });
        expect(result.code).toBe(1);
        const report = JSON.parse(result.stdout) as { status: string; steps: Array<{ id: string; status: string; attempts: number; output: unknown; error?: Record<string, unknown> }> };
        const step = (id: string) => report.steps.find((s) => s.id === id)!;
        expect(step('flaky')).toMatchObject({ status: 'succeeded', attempts: 3, output: { success: true, data: { calls: 3 } } });
        expect(step('invalid')).toMatchObject({
            status: 'failed',
            attempts: 1,
            error: { code: 'VALIDATION_ERROR', message: 'fastmcp.invalid: macro_id is required', retryable: false, advice: 'Pass macro_id.' },
        });
        expect(step('after_invalid').status).toBe('skipped');
    });

    it('show the advice in the human report', async () => {
        const result = await runCli(['run', 'flow.kmflow'], { cwd: root });
        expect(result.stdout).toMatch(/VALIDATION_ERROR: fastmcp\.invalid: macro_id is required\n\s+advice: Pass macro_id\./);
    });

    it('read a file that only declares servers as context, whether named or beside the workflow', async () => {
        const named = await runCli(['run', 'flow.kmflow', 'servers.kmflow', '--json'], { cwd: root });
        expect(JSON.parse(named.stdout)).toMatchObject({ workflow: 'w', steps: [{ id: 'flaky', status: 'succeeded' }, {}, {}] });
        const only = await runCli(['run', 'servers.kmflow'], { cwd: root });
        expect(only.code).toBe(2);
        expect(only.stderr).toMatch(/servers\.kmflow: no workflow to run/);
        const check = await runCli(['check', 'flow.kmflow'], { cwd: root });
        expect(check.code).toBe(0);
    });
});
