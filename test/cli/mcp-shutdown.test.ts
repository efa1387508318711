/**
 * A server's `timeout` bounds each call to it when the step has none (issue 12, item
 * 14), and `kmflow run` stops a server still busy with a call it gave up on instead of
 * waiting for it to wind down (item 4). Over the SDK-based fixture
 * `test/fixtures/mcp/slow-server.mjs`, which logs its life to EVENTS_FILE. No timed
 * assertions: the server must be gone when kmflow exits, kmflow must exit by itself,
 * and the server must have been stopped, not left to exit on its own (which it does
 * 1.9 s after its stdin closes). Needs the built CLI. The server's `timeout` bounds its
 * start too (a Node process loading the SDK), so it is 2 s: at 500 ms, on a loaded
 * machine, the server sometimes could not start in time.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const SERVER = path.resolve(import.meta.dirname, '../fixtures/mcp/slow-server.mjs');
let root: string;
const events = (): string[] => fs.readFileSync(path.join(root, 'events.txt'), 'utf8').split('\n').filter(Boolean);

function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

interface Report {
    status: string;
    steps: Array<{ id: string; status: string; output: unknown; error?: { code: string; message: string } }>;
}

beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-mcp-shutdown-'));
    fs.writeFileSync(path.join(root, 'servers.kmflow'), `server slow {
    command "node"
    args [${JSON.stringify(SERVER)}]
    env { EVENTS_FILE: ${JSON.stringify(path.join(root, 'events.txt'))} }
    timeout 2s
}
`);
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('MCP call limits and shutdown', () => {
    it("the server's timeout limits a call without a step timeout; a step's own timeout wins", async () => {
        fs.writeFileSync(path.join(root, 'limits.kmflow'), `workflow limits {
    errors resilient
    step hung uses slow.hang
    step slow uses slow.sleep { with { ms: 2400 } timeout 20s }
}
`);
        // Before: the hung call waited for the built-in 10-minute limit.
        const result = await runCli(['run', 'limits.kmflow', '--json'], { cwd: root, timeoutMs: 90_000 });
        const report = JSON.parse(result.stdout) as Report;
        const step = (id: string) => report.steps.find((s) => s.id === id)!;
        expect(step('hung')).toMatchObject({ status: 'failed', error: { code: 'timeout' } });
        expect(step('hung').error!.message).toBe("slow.hang: no answer from MCP server 'slow' within 2000 ms (the server's `timeout`); give the step a `timeout` of its own, or raise the server's");
        // 2.4 s is over the server's 2 s, but the step says 20 s.
        expect(step('slow')).toMatchObject({ status: 'succeeded', output: { slept: 2400 } });
    }, 120_000);

    it('kmflow exits after a timed-out call with the server stopped, not waited for', async () => {
        fs.rmSync(path.join(root, 'events.txt'), { force: true });
        fs.writeFileSync(path.join(root, 'stuck.kmflow'), `workflow stuck {
    step wait uses slow.hang { timeout 300ms }
}
`);
        // runCli rejects if kmflow has not exited by itself within its timeout.
        const result = await runCli(['run', 'stuck.kmflow', '--json'], { cwd: root, timeoutMs: 90_000 });
        expect(result.code, result.stderr).toBe(1);
        expect((JSON.parse(result.stdout) as Report).steps[0]).toMatchObject({ status: 'failed', error: { code: 'timeout' } });
        const log = events();
        const pid = Number(log.find((e) => e.startsWith('start '))!.split(' ')[1]);
        expect(alive(pid)).toBe(false);
        // Stopped (stdin closed, then SIGTERM), not left to finish winding down by itself.
        expect(log).toContain('stdin-end');
        expect(log).toContain('sigterm');
        expect(log).not.toContain('exit-by-itself');
    }, 120_000);
});
