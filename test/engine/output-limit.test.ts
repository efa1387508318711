/**
 * Output size limits (issue 12, item 15): `file.read` refuses a file over the limit by
 * its size before reading it, never reads a device, `http.request` stops reading a body
 * past it, every other output is checked when its call returns; the error is
 * `output-too-large` with the size, the limit and how to raise it. Outputs that JSON
 * cannot hold are not journaled as something else, and the report still gets written.
 */
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_DESCRIPTORS, createBuiltinConnector } from '../../src/engine/tools/builtins/index.js';
import { formatBytes, jsonSize, parseSize } from '../../src/engine/run/output-limit.js';
import type { ToolContext } from '../../src/engine/tools/registry.js';
import { OUTPUT_NOT_JSON, OUTPUT_TOO_LARGE, reportJson } from '../../src/engine/run/report-json.js';
import type { RunReport } from '../../src/engine/run/run-types.js';
import { runWorkflow } from '../../src/engine/run/scheduler.js';
import { ToolError } from '../../src/engine/tools/tool-error.js';
import { makeTrust } from '../../src/engine/security/trust.js';
import { lit, setup, step, tool, workflow } from './helpers.js';

const MB = 1024 * 1024;
let root: string;
let server: Server;
let url: string;
const connector = createBuiltinConnector();
const descriptor = (id: string) => BUILTIN_DESCRIPTORS.find((d) => d.id === id)!;

function ctx(extra: Partial<ToolContext> = {}): ToolContext {
    return { signal: new AbortController().signal, root, trust: makeTrust({ network: true }), log: () => undefined, progress: () => undefined, ...extra };
}

async function failure(p: Promise<unknown>): Promise<ToolError> {
    const err = await p.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ToolError);
    return err as ToolError;
}

beforeAll(async () => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-output-limit-')));
    server = createServer((req, res) => {
        const size = Number(new URL(req.url!, 'http://x').searchParams.get('bytes'));
        // No Content-Length: chunked, so only reading tells the size.
        res.writeHead(200, { 'content-type': 'text/plain' });
        for (let sent = 0; sent < size; sent += 64 * 1024) {
            res.write('y'.repeat(Math.min(64 * 1024, size - sent)));
        }
        res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
});

afterAll(async () => {
    fs.rmSync(root, { recursive: true, force: true });
    await new Promise((resolve) => server.close(resolve));
});

describe('output limits', () => {
    it('sizes: parsed and shown in KB, MB', () => {
        expect([parseSize('64MB'), parseSize('512kb'), parseSize('1.5G'), parseSize('100'), parseSize('lots')]).toEqual([64 * MB, 512 * 1024, 1.5 * 1024 * MB, 100, undefined]);
        expect([formatBytes(12), formatBytes(16 * MB), formatBytes(300.5 * MB)]).toEqual(['12 B', '16 MB', '300.5 MB']);
        const circular: Record<string, unknown> = { a: 'x'.repeat(2000) };
        circular.self = circular;
        expect(jsonSize(circular)).toBeGreaterThan(2000);
    });

    it('file.read refuses a file over the limit by its size, before reading it (default 16 MB)', async () => {
        // Sparse: 300 MB on paper, nothing on disk; reading it would take 300 MB of memory and more.
        const file = path.join(root, 'huge.bin');
        fs.closeSync(fs.openSync(file, 'w'));
        fs.truncateSync(file, 300 * MB);
        const before = process.memoryUsage().rss;
        const err = await failure(connector.call(descriptor('file.read'), { path: 'huge.bin' }, ctx()));
        expect(process.memoryUsage().rss - before).toBeLessThan(100 * MB);
        expect(err.code).toBe('output-too-large');
        expect(err.retryable).toBe(false);
        expect(err.message).toBe("file.read: 'huge.bin' is 300 MB, over the limit of 16 MB per step output; the limit goes up to 256 MB at most: have the tool write its data to a file and pass the path on");
        fs.truncateSync(file, 20 * MB);
        expect((await failure(connector.call(descriptor('file.read'), { path: 'huge.bin' }, ctx()))).message)
            .toBe("file.read: 'huge.bin' is 20 MB, over the limit of 16 MB per step output; raise it with `kmflow run --max-output 32MB` (RunOptions.maxOutputBytes)");
        // As base64 the output is 4/3 of the bytes.
        fs.writeFileSync(path.join(root, 'mid.bin'), Buffer.alloc(900 * 1024));
        expect((await connector.call(descriptor('file.read'), { path: 'mid.bin' }, ctx({ maxOutputBytes: MB }))).output).toMatchObject({ bytes: 900 * 1024 });
        const b64 = await failure(connector.call(descriptor('file.read'), { path: 'mid.bin', encoding: 'base64' }, ctx({ maxOutputBytes: MB })));
        expect(b64.message).toMatch(/^file\.read: 'mid\.bin' as base64 is 1\.2 MB, over the limit of 1 MB per step output/);
    });

    it('file.read never reads a device or a FIFO, whatever the root', async () => {
        const zero = await failure(connector.call(descriptor('file.read'), { path: '/dev/zero' }, ctx({ root: '/' })));
        expect(zero.message).toBe("file.read: '/dev/zero' is not a regular file");
    });

    it('file.list stops a listing past the limit, and when its step is cancelled', async () => {
        fs.mkdirSync(path.join(root, 'tree', 'deep'), { recursive: true });
        for (let i = 0; i < 200; i++) {
            fs.writeFileSync(path.join(root, 'tree', 'deep', `file-with-a-longish-name-${i}.txt`), '');
        }
        const err = await failure(connector.call(descriptor('file.list'), { path: 'tree', recursive: true }, ctx({ maxOutputBytes: 4096 })));
        expect(err.code).toBe('output-too-large');
        expect(err.message).toMatch(/^file\.list: the listing of 'tree' is more than 4 KB, over the limit of 4 KB per step output/);
        const cancelled = new AbortController();
        cancelled.abort(new ToolError('cancelled', 'stop'));
        expect((await failure(connector.call(descriptor('file.list'), { path: 'tree', recursive: true }, ctx({ signal: cancelled.signal })))).message).toBe('stop');
        expect((await failure(connector.call(descriptor('file.delete'), { path: 'tree', recursive: true }, ctx({ signal: cancelled.signal })))).message).toBe('stop');
        expect(fs.existsSync(path.join(root, 'tree', 'deep'))).toBe(true);
    });

    it('http.request stops reading a body past the limit', async () => {
        const err = await failure(connector.call(descriptor('http.request'), { url: `${url}?bytes=${3 * MB}` }, ctx({ maxOutputBytes: MB })));
        expect(err.code).toBe('output-too-large');
        expect(err.message).toMatch(/^http\.request: the body of GET http:\/\/127\.0\.0\.1:\d+\/\?bytes=3145728 is more than 1(\.\d)? MB, over the limit of 1 MB per step output; raise it with `kmflow run --max-output 2MB`/);
        expect((await connector.call(descriptor('http.request'), { url: `${url}?bytes=1000` }, ctx({ maxOutputBytes: MB }))).output).toMatchObject({ status: 200 });
    });

    it('any other output over the limit fails its step, without retries', async () => {
        const s = setup([tool('t')], { t: () => ({ text: 'z'.repeat(2 * MB) }) });
        const report = await runWorkflow(workflow([step('big', 't', {}, { retry: { retries: 2, backoffMs: 1 } })]), {
            registry: s.registry, connectors: s.connectors, maxOutputBytes: MB,
        });
        expect(report.steps[0]).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'output-too-large' } });
        expect(report.steps[0]!.error!.message).toMatch(/^step 'big': the output of 't' is 2 MB, over the limit of 1 MB per step output; raise it with `kmflow run --max-output 4MB`/);
    });

    it('an output JSON cannot hold is journaled as such (a resume runs it again), and the report is written without it', async () => {
        const dir = path.join(root, 'runs');
        let calls = 0;
        const s = setup([tool('t')], { t: () => ({ n: BigInt(++calls) }) });
        const wf = workflow([step('a', 't'), step('b', 't', { x: lit(1) }, { after: ['a'] })]);
        await runWorkflow(wf, { registry: s.registry, connectors: s.connectors, journalDir: dir, runId: 'r1' });
        const text = fs.readFileSync(path.join(dir, 'r1.jsonl'), 'utf8');
        expect(text).toContain('"stepId":"a","status":"succeeded"');
        expect(text).toMatch(/"stepId":"a","status":"succeeded",.*"output":null,.*"unjournaled":true/);
        calls = 0;
        await runWorkflow(wf, { registry: s.registry, connectors: s.connectors, journalDir: dir, runId: 'r2', resume: { runId: 'r1' } });
        expect(calls).toBe(2); // both ran again: their outputs were never journaled
        expect(JSON.parse(fs.readFileSync(path.join(dir, 'r2.report.json'), 'utf8'))).toMatchObject({ steps: [{ output: OUTPUT_NOT_JSON }, { output: OUTPUT_NOT_JSON }] });
        // A report too large for one string is written with its outputs left out.
        const huge = { toJSON: () => { throw new RangeError('Invalid string length'); } };
        const report = { runId: 'r', steps: [{ id: 'a', output: huge }, { id: 'b', output: null }] } as unknown as RunReport;
        expect(JSON.parse(reportJson(report))).toMatchObject({ runId: 'r', steps: [{ id: 'a', output: OUTPUT_TOO_LARGE }, { id: 'b', output: null }] });
    });
});
