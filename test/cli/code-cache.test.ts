/**
 * The built CLI's code cache (src/cli/launch.ts): a command writes its cache at exit and a
 * later run takes it as it is; `kmflow mcp` writes its cache before its first answer, so a
 * client that kills it as soon as it is answered (as a short-lived one does) still leaves
 * one. KMFLOW_COMPILE_CACHE names the folder; `0` writes nothing. Needs the built CLI.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KMFLOW, runCli } from '../helpers/cli.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-cli-code-cache-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
fs.writeFileSync(path.join(dir, 'one.kmflow'), 'workflow one {\n    step a uses log { with { message: "hi" } }\n}\n');

const listed = (cache: string): string[] => (fs.existsSync(cache) ? fs.readdirSync(cache).sort() : []);

/** Starts `kmflow mcp`, sends `initialize`, and kills it (SIGKILL) on the answer. */
function initializeAndKill(cache: string): Promise<string> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [KMFLOW, 'mcp', '--root', dir], {
            cwd: dir, env: { ...process.env, KMFLOW_COMPILE_CACHE: cache }, stdio: ['pipe', 'pipe', 'ignore'],
        });
        let out = '';
        const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('no answer to initialize')); }, 30_000);
        child.stdout.on('data', (d: Buffer) => {
            out += d.toString();
            if (out.includes('"id":1')) {
                child.kill('SIGKILL');
            }
        });
        child.on('error', reject);
        child.on('close', () => { clearTimeout(timer); resolve(out); });
        child.stdin.write(`${JSON.stringify({
            jsonrpc: '2.0', id: 1, method: 'initialize',
            params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '0' } },
        })}\n`);
    });
}

describe('the CLI code cache', () => {
    it('a command writes its cache at exit, and the next run takes it unchanged', async () => {
        const cache = path.join(dir, 'check-cache');
        const first = await runCli(['check', 'one.kmflow'], { cwd: dir, env: { KMFLOW_COMPILE_CACHE: cache } });
        expect(first.code).toBe(0);
        const written = listed(cache);
        expect(written).toHaveLength(1);
        expect(written[0]).toMatch(/^check-[0-9a-f]{8}-[0-9a-f]{16}\.cache$/);
        const mtime = fs.statSync(path.join(cache, written[0]!)).mtimeMs;
        const second = await runCli(['check', 'one.kmflow'], { cwd: dir, env: { KMFLOW_COMPILE_CACHE: cache } });
        expect(second).toEqual(first);
        expect(listed(cache)).toEqual(written);
        expect(fs.statSync(path.join(cache, written[0]!)).mtimeMs).toBe(mtime);
    }, 60_000);

    it('KMFLOW_COMPILE_CACHE=0 writes none', async () => {
        const result = await runCli(['check', 'one.kmflow'], { cwd: dir, env: { KMFLOW_COMPILE_CACHE: '0', XDG_CACHE_HOME: path.join(dir, 'xdg') } });
        expect(result.code).toBe(0);
        expect(listed(path.join(dir, 'xdg'))).toEqual([]);
    }, 60_000);

    it('kmflow mcp killed as soon as it answers initialize has written its cache', async () => {
        const cache = path.join(dir, 'mcp-cache');
        const answer = await initializeAndKill(cache);
        expect(answer).toContain('"serverInfo"');
        const written = listed(cache);
        expect(written).toHaveLength(1);
        expect(written[0]).toMatch(/^mcp-[0-9a-f]{8}-[0-9a-f]{16}\.cache$/);
        // The next start takes it (and answers as before).
        expect(await initializeAndKill(cache)).toContain('"serverInfo"');
        expect(listed(cache)).toEqual(written);
    }, 60_000);
});
