/**
 * Built-in tools through the real builtin connector: file confinement, shell trust,
 * timeouts killing the child, http, json.query, template, assert.
 */
import { mkdtempSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_DESCRIPTORS, BUILTIN_TOOLS, createBuiltinConnector } from '../../src/engine/tools/builtins/index.js';
import { ToolRegistry, type ToolContext } from '../../src/engine/tools/registry.js';
import { runWorkflow } from '../../src/engine/run/scheduler.js';
import { type ToolError } from '../../src/engine/tools/tool-error.js';
import { validateParams } from '../../src/engine/model/param-schema.js';
import { makeTrust, TRUSTED } from '../../src/engine/security/trust.js';
import { lit, obj, step, workflow } from './helpers.js';

let root: string;
let outside: string;
const connector = createBuiltinConnector();
const descriptor = (id: string) => BUILTIN_DESCRIPTORS.find((d) => d.id === id)!;

function ctx(extra: Partial<ToolContext> = {}): ToolContext {
    return { signal: new AbortController().signal, root, trust: makeTrust({ network: true }), log: () => undefined, progress: () => undefined, ...extra };
}

async function call(id: string, params: Record<string, unknown>, extra: Partial<ToolContext> = {}) {
    expect(validateParams(descriptor(id).inputSchema, params)).toEqual([]);
    return connector.call(descriptor(id), params, ctx(extra));
}

async function code(p: Promise<unknown>): Promise<string> {
    try {
        await p;
        return 'ok';
    } catch (err) {
        return (err as ToolError).code;
    }
}

beforeAll(() => {
    const base = realpathSync(mkdtempSync(path.join(tmpdir(), 'kmflow-builtins-')));
    root = path.join(base, 'root');
    outside = path.join(base, 'outside');
    mkdirSync(root);
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'secret.txt'), 'outside!');
    symlinkSync(outside, path.join(root, 'link-out'));
    symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'file-link-out'));
    mkdirSync(path.join(root, 'inner'));
    symlinkSync(path.join(root, 'inner'), path.join(root, 'link-in'));
});

afterAll(() => rmSync(path.dirname(root), { recursive: true, force: true }));

describe('catalog data', () => {
    it('exports schema, security and read-only flags for each built-in', () => {
        expect(BUILTIN_TOOLS.map((t) => t.id)).toEqual([
            'log', 'delay', 'shell', 'http.request', 'file.read', 'file.write', 'file.list', 'file.delete', 'json.query', 'template', 'assert',
        ]);
        const high = BUILTIN_TOOLS.filter((t) => t.security === 'high').map((t) => t.id);
        expect(high).toEqual(['shell', 'http.request']);
        const readOnly = BUILTIN_TOOLS.filter((t) => t.readOnly).map((t) => t.id).sort();
        expect(readOnly).toEqual(['assert', 'delay', 'file.list', 'file.read', 'json.query', 'log', 'template']);
        for (const d of BUILTIN_DESCRIPTORS) {
            expect(d.via).toEqual({ server: 'builtin', tool: d.id });
            expect(d.inputSchema).toBeTypeOf('object');
        }
    });
});

describe('file tools', () => {
    it('write, read, list and delete inside the root', async () => {
        expect((await call('file.write', { path: 'out/a.json', content: { x: 1 } })).output).toMatchObject({ path: 'out/a.json' });
        expect(JSON.parse(readFileSync(path.join(root, 'out/a.json'), 'utf8'))).toEqual({ x: 1 });
        expect((await call('file.read', { path: 'out/a.json' })).output).toMatchObject({ content: '{\n  "x": 1\n}\n' });
        expect((await call('file.read', { path: path.join(root, 'out', 'a.json') })).output).toMatchObject({ bytes: 13 });
        await call('file.write', { path: 'link-in/b.txt', content: 'via inner link' });
        expect(readFileSync(path.join(root, 'inner/b.txt'), 'utf8')).toBe('via inner link');
        const list = (await call('file.list', { path: 'out' })).output as { entries: Array<{ name: string; type: string }> };
        expect(list.entries).toEqual([{ name: 'a.json', type: 'file' }]);
        expect((await call('file.delete', { path: 'out/a.json' })).output).toMatchObject({ deleted: true });
        expect(existsSync(path.join(root, 'out/a.json'))).toBe(false);
        expect(await code(call('file.read', { path: 'out/a.json' }))).toBe('not-found');
    });

    it('refuses every escape: .., absolute paths outside, symlinks leading out', async () => {
        const escapes = ['../outside/secret.txt', '../../etc/passwd', 'inner/../../outside/secret.txt', path.join(outside, 'secret.txt'), '/etc/passwd', 'link-out/secret.txt', 'file-link-out', 'link-out/new.txt', 'link-out'];
        for (const p of escapes) {
            expect(await code(call('file.read', { path: p })), `read ${p}`).toBe('denied');
            expect(await code(call('file.write', { path: p, content: 'x' })), `write ${p}`).toBe('denied');
            expect(await code(call('file.delete', { path: p })), `delete ${p}`).toBe('denied');
            expect(await code(call('file.list', { path: p })), `list ${p}`).toBe('denied');
        }
        expect(readFileSync(path.join(outside, 'secret.txt'), 'utf8')).toBe('outside!');
        expect(existsSync(path.join(outside, 'new.txt'))).toBe(false);
        expect(await code(call('file.delete', { path: '.', recursive: true }))).toBe('denied');
    });
});

describe('shell', () => {
    it('is refused without the shell capability', async () => {
        expect(await code(call('shell', { command: 'echo hi' }))).toBe('denied');
    });

    it('runs commands and fails on non-zero exit unless allow_failure', async () => {
        const ok = await call('shell', { command: 'printf "%s" "$X"; echo err >&2', env: { X: 'hello' } }, { trust: TRUSTED });
        expect(ok.output).toEqual({ exitCode: 0, stdout: 'hello', stderr: 'err\n' });
        const direct = await call('shell', { command: 'cat', args: [], stdin: 'piped' }, { trust: TRUSTED });
        expect((direct.output as { stdout: string }).stdout).toBe('piped');
        expect(await code(call('shell', { command: 'exit 3' }, { trust: TRUSTED }))).toBe('exit');
        const allowed = await call('shell', { command: 'exit 3', allow_failure: true }, { trust: TRUSTED });
        expect((allowed.output as { exitCode: number }).exitCode).toBe(3);
    });

    it('a step timeout kills the child and its children', async () => {
        const pidFile = path.join(root, 'sleep.pid');
        const wf = workflow([
            step('sleepy', 'shell', { command: lit(`sleep 30 & echo $! > '${pidFile}'; wait`) }, { timeoutMs: 300 }),
        ]);
        const report = await runWorkflow(wf, { registry: new ToolRegistry(), root, trust: TRUSTED });
        expect(report.steps[0]).toMatchObject({ status: 'failed', error: { code: 'timeout' } });
        const pid = Number(readFileSync(pidFile, 'utf8').trim());
        expect(pid).toBeGreaterThan(0);
        const gone = async () => {
            for (let i = 0; i < 50; i++) {
                try {
                    process.kill(pid, 0);
                    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
                    if (/\) [ZX] /.test(stat)) {
                        return true; // a zombie waiting for its reaper: already dead
                    }
                } catch {
                    return true;
                }
                await new Promise((r) => setTimeout(r, 50));
            }
            return false;
        };
        expect(await gone()).toBe(true);
    });

    it('refused in a run without the shell capability', async () => {
        const report = await runWorkflow(workflow([step('s', 'shell', { command: lit('echo hi') })]), { registry: new ToolRegistry(), root });
        expect(report.steps[0]).toMatchObject({ status: 'failed', error: { code: 'denied' } });
    });
});

describe('http.request', () => {
    let server: Server;
    let base: string;
    beforeAll(async () => {
        server = createServer((req, res) => {
            let body = '';
            req.on('data', (c) => (body += c));
            req.on('end', () => {
                if (req.url === '/fail') {
                    res.writeHead(503).end('busy');
                    return;
                }
                res.writeHead(200, { 'content-type': 'application/json', 'x-test': 'yes' });
                res.end(JSON.stringify({ method: req.method, body, type: req.headers['content-type'] }));
            });
        });
        await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
        const address = server.address() as { port: number };
        base = `http://127.0.0.1:${address.port}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('sends JSON and parses the answer', async () => {
        const out = (await call('http.request', { url: `${base}/x`, method: 'POST', body: { a: 1 } })).output as Record<string, unknown>;
        expect(out.status).toBe(200);
        expect(out.json).toEqual({ method: 'POST', body: '{"a":1}', type: 'application/json' });
        expect((out.headers as Record<string, string>)['x-test']).toBe('yes');
    });

    it('fails on error statuses (retryable for 5xx) unless allow_failure', async () => {
        const err = await call('http.request', { url: `${base}/fail` }).catch((e: ToolError) => e);
        expect(err).toMatchObject({ code: 'http-status', retryable: true });
        expect(((await call('http.request', { url: `${base}/fail`, allow_failure: true })).output as { status: number }).status).toBe(503);
        expect(await code(call('http.request', { url: 'http://127.0.0.1:1/' }))).toBe('disconnected');
    });
});

describe('data tools', () => {
    it('json.query runs JMESPath', async () => {
        const input = { items: [{ name: 'a', on: true }, { name: 'b', on: false }] };
        expect((await call('json.query', { input, expression: 'items[?on].name' })).output).toEqual(['a']);
        expect(await code(call('json.query', { input, expression: 'items[?' }))).toBe('invalid-param');
    });

    it('template fills {{placeholders}}', async () => {
        const out = await call('template', { template: 'Hi {{ who }}, {{n.count}} {{list}} \\{{x}}', values: { who: 'Ann', n: { count: 2 }, list: [1] } });
        expect(out.output).toBe('Hi Ann, 2 [1] {{x}}');
        expect(await code(call('template', { template: '{{missing}}', values: {} }))).toBe('invalid-param');
    });

    it('assert fails with code assertion', async () => {
        expect((await call('assert', { condition: 1 })).output).toBe(true);
        const err = await call('assert', { condition: false, message: 'count is zero' }).catch((e: ToolError) => e);
        expect(err).toMatchObject({ code: 'assertion', message: 'count is zero', retryable: false });
    });

    it('log and delay run in a workflow; log reaches the events', async () => {
        const messages: string[] = [];
        const wf = workflow([step('wait', 'delay', { ms: lit(5) }), step('say', 'log', { message: obj({ a: lit(1) }) }, { after: ['wait'] })]);
        const report = await runWorkflow(wf, { registry: new ToolRegistry(), onEvent: (e) => e.type === 'log' && messages.push(e.message) });
        expect(report.status).toBe('succeeded');
        expect(messages).toEqual(['{"a":1}']);
    });
});
