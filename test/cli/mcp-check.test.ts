/**
 * `check`, `lock` and `run` against a real MCP server (server-everything over stdio):
 * schemas from the lock offline, from `tools/list` with `--live`, drift between them,
 * and a run whose outputs flow from server tools into built-ins.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { everythingServer } from '../helpers/mcp-servers.js';

let dir: string;
const workflow = (params: string, tool = '"get-sum"') => `${everythingServer()}
workflow mix {
    step sum uses ev.${tool} { with { ${params} } }
    step echo uses ev.echo { with { message: "sum said: \${sum.output}" } }
    step save uses file.write { with { path: "out/echo.txt", content: echo.output } }
}
`;

function write(name: string, text: string): string {
    fs.writeFileSync(path.join(dir, name), text);
    return name;
}

function lines(stdout: string): string[] {
    return stdout.trim().split('\n').filter(Boolean);
}

beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-mcp-'));
});

describe('server tools in check', () => {
    it('without a lock, says once on the server line that its tools are unknown', async () => {
        const r = await runCli(['check', write('a.kmflow', workflow('a: "x", b: 3'))], { cwd: dir });
        expect(r.code).toBe(0);
        expect(lines(r.stdout)).toEqual([
            "a.kmflow:1:8 info unverified-server the tools of server 'ev' are not known: record them with 'kmflow lock', or check with 'kmflow check --live'",
        ]);
    });

    it('with --live, checks parameters against the live schema', async () => {
        const r = await runCli(['check', 'a.kmflow', '--live'], { cwd: dir });
        expect(r.code).toBe(1);
        expect(lines(r.stdout)).toEqual(["a.kmflow:7:44 error invalid-param ev.get-sum: 'a' must be number"]);
    });

    it('kmflow lock records the tools; check then works offline', async () => {
        const lock = await runCli(['lock', 'a.kmflow'], { cwd: dir });
        expect(lock.code).toBe(0);
        const file = JSON.parse(fs.readFileSync(path.join(dir, '.kmflow/schemas.lock.json'), 'utf8'));
        expect(file.servers.ev.tools['get-sum'].hash).toMatch(/^sha256:[0-9a-f]{64}$/);
        const r = await runCli(['check', 'a.kmflow'], { cwd: dir });
        expect(lines(r.stdout)).toEqual(["a.kmflow:7:44 error invalid-param ev.get-sum: 'a' must be number"]);
        const typo = await runCli(['check', write('b.kmflow', workflow('a: 1, b: 2', '"get-summ"'))], { cwd: dir });
        expect(lines(typo.stdout)).toEqual([`b.kmflow:7:19 error unknown-tool server 'ev' lists no tool 'get-summ'; did you mean 'ev."get-sum"'?`]);
    });

    /** Runs `body` with the schema lock edited by `edit`, then puts the lock back. */
    async function withEditedLock(edit: (tools: Record<string, Record<string, unknown>>) => void, body: () => Promise<void>): Promise<void> {
        const lockFile = path.join(dir, '.kmflow/schemas.lock.json');
        const saved = fs.readFileSync(lockFile, 'utf8');
        const lock = JSON.parse(saved);
        edit(lock.servers.ev.tools);
        fs.writeFileSync(lockFile, JSON.stringify(lock));
        try {
            await body();
        } finally {
            fs.writeFileSync(lockFile, saved);
        }
    }

    /** `check` of `file` is clean against the lock; with `--live` it exits 0 with exactly `expected`. */
    async function driftsLive(file: string, expected: string): Promise<void> {
        expect(lines((await runCli(['check', file], { cwd: dir })).stdout)).toEqual([]);
        const r = await runCli(['check', file, '--live'], { cwd: dir });
        expect(r.code).toBe(0);
        expect(lines(r.stdout)).toEqual([expected]);
    }

    it('with --live, warns schema-drift where the lock and the server disagree', async () => {
        await withEditedLock((tools) => {
            (tools['get-sum']!.inputSchema as { properties: Record<string, unknown> }).properties.c = { type: 'number' };
            tools['get-sum']!.hash = `sha256:${'0'.repeat(64)}`;
        }, async () => {
            write('c.kmflow', workflow('a: 1, b: 2'));
            await driftsLive('c.kmflow', "c.kmflow:7:19 warning schema-drift tool 'ev.get-sum' changed its inputSchema since the lock; check the step, then run 'kmflow lock' to accept the change");
        });
    });

    it('with --live, warns schema-drift (not unknown-tool) for a locked tool the server no longer lists', async () => {
        await withEditedLock((tools) => {
            tools['get-product'] = { ...tools['get-sum'], name: 'get-product' };
        }, async () => {
            write('e.kmflow', workflow('a: 1, b: 2', '"get-product"'));
            await driftsLive('e.kmflow', "e.kmflow:7:19 warning schema-drift tool 'ev.get-product' is no longer listed by the server; check the step, then run 'kmflow lock' to accept the change");
        });
    });
});

describe('a run across built-ins and a server', () => {
    it('flows outputs from server tools into built-ins', async () => {
        const r = await runCli(['run', write('d.kmflow', workflow('a: 2, b: 3')), '--json'], { cwd: dir });
        expect(r.code).toBe(0);
        const report = JSON.parse(r.stdout);
        expect(report.status).toBe('succeeded');
        expect(report.steps.map((s: { tool: string }) => s.tool)).toEqual(['ev.get-sum', 'ev.echo', 'file.write']);
        expect(fs.readFileSync(path.join(dir, 'out/echo.txt'), 'utf8')).toBe('Echo: sum said: The sum of 2 and 3 is 5.');
    });

    it('names the server, its command and the reason when the server cannot start', async () => {
        const text = 'server broken {\n    command "kmflow-no-such-command"\n}\nworkflow w {\n    step a uses broken.anything\n}\n';
        const r = await runCli(['run', write('e.kmflow', text), '--json'], { cwd: dir });
        expect(r.code).toBe(2);
        expect(r.stderr).toContain("server 'broken'");
        expect(r.stderr).toContain('kmflow-no-such-command');
    });
});
