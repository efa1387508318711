/**
 * Output limits through `kmflow run` (issue 12, item 15): an MCP answer too large is
 * reported as `output-too-large`, not "disconnected"; `--max-output` raises the limit;
 * a huge file is refused before it is read, and `.kmflow/` stays small. Over the SDK
 * fixture `test/fixtures/mcp/slow-server.mjs` (`big` answers `bytes` bytes of text).
 * Needs the built CLI.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const SERVER = path.resolve(import.meta.dirname, '../fixtures/mcp/slow-server.mjs');
const MB = 1024 * 1024;
let root: string;

interface Report {
    status: string;
    steps: Array<{ id: string; status: string; output: unknown; error?: { code: string; message: string } }>;
}

function folderSize(dir: string): number {
    let size = 0;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
        if (entry.isFile()) {
            size += fs.statSync(path.join(entry.parentPath, entry.name)).size;
        }
    }
    return size;
}

beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-output-limit-cli-'));
    fs.writeFileSync(path.join(root, 'servers.kmflow'), `server slow {
    command "node"
    args [${JSON.stringify(SERVER)}]
}
`);
    fs.writeFileSync(path.join(root, 'big.kmflow'), `workflow big {
    errors resilient
    input bytes: number
    step answer uses slow.big { with { bytes: input.bytes } }
    step after uses slow.sleep { with { ms: 1 } after answer always }
}
`);
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

async function run(bytes: number, ...flags: string[]): Promise<Report> {
    const result = await runCli(['run', 'big.kmflow', '--input', `bytes=${bytes}`, '--json', ...flags], { cwd: root, timeoutMs: 90_000 });
    expect(result.stderr).not.toMatch(/kmflow run:/);
    return JSON.parse(result.stdout) as Report;
}

describe('output limits through kmflow run', () => {
    it('a 50 MB MCP answer is output-too-large, not "disconnected"', async () => {
        const report = await run(50 * MB);
        expect(report.steps[0]).toMatchObject({ status: 'failed', error: { code: 'output-too-large' } });
        expect(report.steps[0]!.error!.message).toMatch(/^step 'answer': the output of 'slow\.big' is 50 MB, over the limit of 16 MB per step output; raise it with `kmflow run --max-output 64MB`/);
        expect(report.steps[1]).toMatchObject({ status: 'succeeded' });
    }, 120_000);

    it('an answer too long to read (over 4 times the limit) is output-too-large too; the server serves the next call', async () => {
        const report = await run(6 * MB, '--max-output', '1MB');
        expect(report.steps[0]).toMatchObject({ status: 'failed', error: { code: 'output-too-large' } });
        // "more than N MB": N is what had arrived when reading stopped, past 4x the limit (5 MB,
        // or a little more when the pipe delivered a larger chunk first).
        const message = report.steps[0]!.error!.message;
        expect(message).toMatch(/^slow\.big: the answer of MCP server 'slow' is more than \d+(\.\d)? MB, over the limit of 1 MB per step output; raise it with `kmflow run --max-output 8MB`/);
        expect(Number(/more than ([\d.]+) MB/.exec(message)![1])).toBeGreaterThanOrEqual(5);
        expect(report.steps[1]).toMatchObject({ status: 'succeeded' });
    }, 120_000);

    it('an answer over the limit but readable is refused by its size; --max-output raises the limit', async () => {
        const refused = await run(3 * MB, '--max-output', '2MB');
        expect(refused.steps[0]!.error!.message).toMatch(/^step 'answer': the output of 'slow\.big' is 3 MB, over the limit of 2 MB per step output; raise it with `kmflow run --max-output 4MB`/);
        const raised = await run(3 * MB, '--max-output', '4MB');
        expect(raised.steps[0]).toMatchObject({ status: 'succeeded' });
        expect((raised.steps[0]!.output as string).length).toBe(3 * MB);
    }, 120_000);

    it('--max-output takes a size up to 256 MB', async () => {
        const bad = await runCli(['run', 'big.kmflow', '--input', 'bytes=1', '--max-output', 'lots'], { cwd: root });
        expect(bad.code).toBe(2);
        expect(bad.stderr).toContain("--max-output takes a size such as 64MB, 512KB or 1048576 (bytes), not 'lots'");
        const tooHigh = await runCli(['run', 'big.kmflow', '--input', 'bytes=1', '--max-output', '1GB'], { cwd: root });
        expect(tooHigh.code).toBe(2);
        expect(tooHigh.stderr).toContain('--max-output goes up to 256 MB');
    });

    it('file.read of a 300 MB file is refused before reading; .kmflow/ stays small', async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-big-file-'));
        try {
            fs.closeSync(fs.openSync(path.join(dir, 'huge.bin'), 'w'));
            fs.truncateSync(path.join(dir, 'huge.bin'), 300 * MB); // sparse
            fs.writeFileSync(path.join(dir, 'read.kmflow'), 'workflow read {\n    step r uses file.read { with { path: "huge.bin" } }\n}\n');
            const result = await runCli(['run', 'read.kmflow', '--json'], { cwd: dir });
            expect(result.code).toBe(1);
            const report = JSON.parse(result.stdout) as Report;
            expect(report.steps[0]).toMatchObject({ status: 'failed', error: { code: 'output-too-large' } });
            expect(report.steps[0]!.error!.message).toContain("file.read: 'huge.bin' is 300 MB, over the limit of 16 MB per step output");
            expect(folderSize(path.join(dir, '.kmflow'))).toBeLessThan(MB);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
