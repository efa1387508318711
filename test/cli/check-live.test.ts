/** `kmflow check --live` asks the servers: one that cannot start or be reached fails the check. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { everythingServer } from '../helpers/mcp-servers.js';

let root: string;
beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-live-'));
    fs.writeFileSync(path.join(root, 'bad.kmflow'), 'server gone { command "/nonexistent/kmflow-test-server" }\n' +
        'server crash { command "node" args ["-e", "process.exit(3)"] }\nworkflow w { step a uses log { with { message: "x" } } }\n');
    fs.writeFileSync(path.join(root, 'good.kmflow'), `${everythingServer('ev')}workflow w { step a uses ev.echo { with { message: "x" } } }\n`);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('check --live', () => {
    it('warns on each server that cannot be reached, naming it and why, and exits 1', async () => {
        const result = await runCli(['check', 'bad.kmflow', '--live'], { cwd: root });
        expect(result.code).toBe(1);
        expect(result.stdout).toMatch(/bad\.kmflow:1:8 warning unverified-server server 'gone' could not be reached: .*command not found/);
        expect(result.stdout).toMatch(/bad\.kmflow:2:8 warning unverified-server server 'crash' could not be reached/);
        // Without --live nothing was asked: nothing to fail.
        expect((await runCli(['check', 'bad.kmflow'], { cwd: root })).code).toBe(0);
    });

    it('exits 0 when every server answers', async () => {
        const result = await runCli(['check', 'good.kmflow', '--live'], { cwd: root });
        expect(result.stdout).toBe('');
        expect(result.code).toBe(0);
    });
});
