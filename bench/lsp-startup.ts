/**
 * The language server's start as an editor sees it: spawn `node out/language-server.cjs
 * --stdio` (what VS Code's client forks, over IPC there), time the answer to `initialize`,
 * or the first diagnostics of a one-workflow file opened at once (`initialized`, then
 * `didOpen`); then `shutdown` and `exit`, as a client stops it (which is when the server
 * writes its code cache). CPU is the whole session's, from the kernel's children counters.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { childrenCpuMs, type Sample } from './cli-bench.js';

export type LspMilestone = 'initialize' | 'diagnostics';

/** One session of `node SERVER --stdio` in `root`, timed from spawn to `until`. */
export function timeLspStart(server: string, root: string, until: LspMilestone, env: NodeJS.ProcessEnv = {}): Promise<Sample> {
    const file = path.join(root, 'start.kmflow');
    fs.writeFileSync(file, 'workflow start {\n    step a uses log { with { message: "hi" } }\n}\n');
    const uri = pathToFileURL(file).href;
    return new Promise((resolve, reject) => {
        const cpu0 = childrenCpuMs();
        const t0 = performance.now();
        const child = spawn(process.execPath, [server, '--stdio'], { cwd: root, stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, ...env } });
        const send = (message: object): void => {
            const text = JSON.stringify({ jsonrpc: '2.0', ...message });
            child.stdin.write(`Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
        };
        const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${server} did not reach ${until}`)); }, 30_000);
        let wallMs: number | undefined;
        const stop = (): void => {
            wallMs ??= performance.now() - t0;
            send({ id: 2, method: 'shutdown' });
        };
        let buffer = Buffer.alloc(0);
        child.stdout.on('data', (d: Buffer) => {
            buffer = Buffer.concat([buffer, d]);
            for (;;) {
                const head = buffer.indexOf('\r\n\r\n');
                const length = Number(/Content-Length: (\d+)/.exec(buffer.subarray(0, head).toString())?.[1]);
                if (head < 0 || buffer.length < head + 4 + length) {
                    return;
                }
                const message = JSON.parse(buffer.subarray(head + 4, head + 4 + length).toString()) as {
                    id?: number; method?: string; params?: { uri?: string; items?: unknown[] };
                };
                buffer = buffer.subarray(head + 4 + length);
                if (message.id === 1 && !message.method) {
                    if (until === 'initialize') {
                        stop();
                    } else {
                        send({ method: 'initialized', params: {} });
                        send({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'kmflow', version: 1, text: fs.readFileSync(file, 'utf8') } } });
                    }
                } else if (message.method === 'textDocument/publishDiagnostics' && message.params?.uri === uri) {
                    stop();
                } else if (message.id === 2 && !message.method) {
                    send({ method: 'exit' });
                } else if (message.id !== undefined && message.method) {
                    // workspace/configuration (no settings), registrations
                    send({ id: message.id, result: message.method === 'workspace/configuration' ? message.params?.items?.map(() => null) ?? [] : null });
                }
            }
        });
        child.on('error', reject);
        child.on('close', () => {
            clearTimeout(timer);
            const cpu1 = childrenCpuMs();
            resolve({ wallMs: wallMs ?? NaN, cpuMs: cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined, status: wallMs === undefined ? 1 : 0 });
        });
        send({ id: 1, method: 'initialize', params: { processId: process.pid, rootUri: pathToFileURL(root).href, capabilities: {}, workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'bench' }] } });
    });
}
