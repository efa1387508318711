/**
 * The command line against a hostile tester: a 10,000-step cycle, objects and operators
 * nested a thousand deep, an `--input` nested ten thousand deep, `--root /proc`, a server
 * that is not declared, an IPC transport without IPC. Each gets one clear line (or a few
 * diagnostics) and its exit code, never a stack trace, a flood or a hang.
 */
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { KMFLOW, runCli } from '../helpers/cli.js';

let dir: string;
const STACK = /\n\s+at |RangeError|Maximum call stack/;

/** A workflow whose one step's message is `expr`. */
function withMessage(expr: string): string {
    return `workflow w {\n  step a uses log { with { message: ${expr} } }\n}\n`;
}

beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-hostile-'));
    const n = 10_000;
    const steps = Array.from({ length: n }, (_, i) => `  step s${i} uses log { with { message: "x" } after s${(i + 1) % n} }`);
    fs.writeFileSync(path.join(dir, 'cycle.kmflow'), `workflow w {\n${steps.join('\n')}\n}\n`);
    const deep = `${'{a: '.repeat(1000)}1${'}'.repeat(1000)}`;
    fs.writeFileSync(path.join(dir, 'objects.kmflow'), withMessage(`"x", o: ${deep}, p: ${deep}`));
    fs.writeFileSync(path.join(dir, 'unary.kmflow'), withMessage(`${'-'.repeat(1000)}1`));
    fs.writeFileSync(path.join(dir, 'not.kmflow'), withMessage(`${'not '.repeat(1000)}true`));
    fs.writeFileSync(path.join(dir, 'plus.kmflow'), withMessage(`${'1 + '.repeat(10_000)}1`));
    fs.writeFileSync(path.join(dir, 'list-input.kmflow'), 'workflow w {\n  input l: list\n  step a uses log { with { message: "x" } }\n}\n');
});

describe('kmflow check on pathological files', () => {
    it('reports a 10,000-step cycle in one line, even piped', async () => {
        const r = await runCli(['check', 'cycle.kmflow'], { cwd: dir });
        expect(r.code).toBe(1);
        const lines = r.stdout.trim().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(/^cycle\.kmflow:2:8 error cycle dependency cycle .* … \(9,980 more\) → /);
        expect(r.stdout.length).toBeLessThan(1000);
        expect(r.stderr).not.toMatch(STACK);
    });

    for (const [file, message] of [
        ['objects.kmflow', 'brackets nested more than 64 deep'],
        ['unary.kmflow', 'expression nested more than 64 deep'],
        ['not.kmflow', 'expression nested more than 64 deep'],
        ['plus.kmflow', 'expression nested more than 64 deep'],
    ]) {
        it(`reports ${file} as nested too deep, with file and line`, async () => {
            const r = await runCli(['check', file], { cwd: dir });
            expect(r.code).toBe(1);
            expect(r.stdout).toMatch(new RegExp(`^${file.replace('.', '\\.')}:2:\\d+ error syntax ${message}`, 'm'));
            expect(r.stdout + r.stderr).not.toMatch(STACK);
        });
    }
});

describe('kmflow run and friends on hostile arguments', () => {
    it('refuses an --input nested 10,000 deep in one line', async () => {
        const r = await runCli(['run', 'list-input.kmflow', '--input', `l=${'['.repeat(10_000)}${']'.repeat(10_000)}`], { cwd: dir });
        expect(r.code).toBe(2);
        expect(r.stderr.trim()).toBe("kmflow run: list-input.kmflow: input 'l' is nested more than 64 deep");
    });

    it.skipIf(!fs.existsSync('/proc/self'))('fails at once with --root /proc instead of spinning in mkdir', async () => {
        const r = await runCli(['run', 'list-input.kmflow', '--input', 'l=[]', '--root', '/proc'], { cwd: dir, timeoutMs: 30_000 });
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/^kmflow run: .*'\/proc\/\.kmflow'/m);
        expect(r.stderr).not.toMatch(STACK);
    });

    it('says no server is declared for tools --server NAME', async () => {
        const r = await runCli(['tools', '--server', 'nope'], { cwd: dir });
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/^kmflow tools: no server 'nope' is declared/);
        expect(r.stdout).toBe('');
    });

    it('says lsp --node-ipc needs an IPC channel when it has none', async () => {
        const r = await runCli(['lsp', '--node-ipc'], { cwd: dir, timeoutMs: 30_000 });
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/^kmflow lsp: --node-ipc needs the IPC channel/);
    });

    it('serves lsp --node-ipc over the IPC channel it is given', async () => {
        const child = fork(KMFLOW, ['lsp', '--node-ipc'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
        try {
            const answer = await new Promise<{ id?: number; result?: { capabilities?: object } }>((resolve, reject) => {
                child.on('message', (m: { id?: number }) => m.id === 1 && resolve(m));
                child.on('exit', (code) => reject(new Error(`exited ${code}`)));
                child.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
            });
            expect(answer.result?.capabilities).toBeDefined();
        } finally {
            child.kill();
        }
    });
});
