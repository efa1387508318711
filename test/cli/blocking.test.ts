/**
 * Nothing a step blocks on outlives its run (issue 12, item 16): a FIFO inside the
 * root is refused at once by every file tool (reads and writes, several at a time), and
 * a shell step whose grandchild left the process group while holding the output pipes
 * does not keep `kmflow run` alive once the step timed out. kmflow must exit by itself
 * (runCli fails if it has to kill it) and without its exit safety net saying it found
 * work still pending. Needs the built CLI.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

let root: string;

interface Report {
    status: string;
    steps: Array<{ id: string; status: string; error?: { code: string; message: string } }>;
}

beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-blocking-'));
    execFileSync('mkfifo', [path.join(root, 'pipe')]);
});

afterAll(() => {
    const pidFile = path.join(root, 'orphan.pid');
    if (fs.existsSync(pidFile)) {
        try {
            process.kill(Number(fs.readFileSync(pidFile, 'utf8').trim()), 'SIGKILL');
        } catch {
            // Gone already.
        }
    }
    fs.rmSync(root, { recursive: true, force: true });
});

describe('blocking calls end with their run', () => {
    it('file tools refuse a FIFO at once; six reads and a write at a time do not wedge the run', async () => {
        const reads = [1, 2, 3, 4, 5, 6].map((i) => `    step read${i} uses file.read { with { path: "pipe" } timeout 2s }`);
        fs.writeFileSync(path.join(root, 'fifo.kmflow'), `workflow fifo {
    errors resilient
${reads.join('\n')}
    step write uses file.write { with { path: "pipe", content: "x" } timeout 2s }
    step note uses log { with { message: "still answering" } }
}
`);
        const result = await runCli(['run', 'fifo.kmflow', '--json'], { cwd: root, timeoutMs: 30_000 });
        expect(result.stderr).not.toContain('work still pending');
        const report = JSON.parse(result.stdout) as Report;
        for (const step of report.steps.filter((s) => s.id !== 'note')) {
            expect(step, step.id).toMatchObject({ status: 'failed', error: { code: 'invalid-param', message: `${step.id === 'write' ? 'file.write' : 'file.read'}: 'pipe' is not a regular file` } });
        }
        expect(report.steps.find((s) => s.id === 'note')).toMatchObject({ status: 'succeeded' });
    }, 60_000);

    it('a timed-out shell step whose grandchild escaped with its pipes does not keep kmflow alive', async () => {
        // The grandchild starts its own session (out of reach of the group kill) and keeps stdout and stderr.
        const command = `setsid sh -c 'echo $$ > orphan.pid; exec sleep 60' &`;
        fs.writeFileSync(path.join(root, 'shell.kmflow'), `workflow escape {
    step s uses shell { with { command: ${JSON.stringify(command)} } timeout 500ms }
}
`);
        // Before: kmflow printed its report, then waited the full minute for the sleep.
        const result = await runCli(['run', 'shell.kmflow', '--allow-exec', '--json'], { cwd: root, timeoutMs: 30_000 });
        expect(result.code).toBe(1);
        expect(result.stderr).not.toContain('work still pending');
        expect((JSON.parse(result.stdout) as Report).steps[0]).toMatchObject({ status: 'failed', error: { code: 'timeout' } });
    }, 60_000);
});
