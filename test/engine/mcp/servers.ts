/**
 * Real MCP servers for the connector tests: server-everything (stdio and streamable
 * HTTP) and server-filesystem, started from node_modules; no mocks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { expect } from 'vitest';
import type { ServerSpec } from '../../../src/engine/model/model.js';
import { ToolError } from '../../../src/engine/tools/tool-error.js';
import type { ToolContext, ToolProgress } from '../../../src/engine/tools/registry.js';
import { TRUSTED } from '../../../src/engine/security/trust.js';

const MODULES = path.resolve(import.meta.dirname, '../../../node_modules/@modelcontextprotocol');
export const EVERYTHING_JS = path.join(MODULES, 'server-everything/dist/index.js');
export const FILESYSTEM_JS = path.join(MODULES, 'server-filesystem/dist/index.js');

/** server-everything over stdio. */
export function everythingSpec(name = 'ev'): ServerSpec {
    return { name, command: process.execPath, args: [EVERYTHING_JS, 'stdio'], timeoutMs: 20_000 };
}

/** server-filesystem confined to `dir`. */
export function filesystemSpec(dir: string, name = 'fs'): ServerSpec {
    return { name, command: process.execPath, args: [FILESYSTEM_JS, dir], timeoutMs: 20_000 };
}

/** A ToolContext for direct connector calls; collects progress and logs. */
export function testContext(options: { signal?: AbortSignal; root?: string } = {}): ToolContext & { progressEvents: ToolProgress[]; logs: string[] } {
    const progressEvents: ToolProgress[] = [];
    const logs: string[] = [];
    return {
        signal: options.signal ?? new AbortController().signal,
        root: options.root ?? process.cwd(),
        trust: TRUSTED,
        log: (m) => logs.push(m),
        progress: (p) => progressEvents.push(p),
        progressEvents,
        logs,
    };
}

/** A TCP port nobody listens on right now (on 127.0.0.1). */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.unref();
        server.on('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const address = server.address();
            const port = typeof address === 'object' && address ? address.port : 0;
            server.close(() => resolve(port));
        });
    });
}

/** A running server-everything over streamable HTTP. */
export interface HttpServer {
    url: string;
    child: ChildProcess;
    stop(): Promise<void>;
}

/**
 * Starts server-everything over HTTP (`streamableHttp`, or the older `sse`) on `port`
 * (default: a free one) and waits until it listens.
 */
export async function startEverythingHttp(options: { mode?: 'streamableHttp' | 'sse'; port?: number } = {}): Promise<HttpServer> {
    const mode = options.mode ?? 'streamableHttp';
    const port = options.port ?? (await freePort());
    const child = spawn(process.execPath, [EVERYTHING_JS, mode], {
        env: { ...process.env, PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`server-everything did not listen on ${port} within 20 s:\n${output}`)), 20_000);
        const onData = (chunk: Buffer): void => {
            output += chunk.toString();
            if (/(listening|running) on port/i.test(output)) {
                clearTimeout(timer);
                resolve();
            }
        };
        child.stdout!.on('data', onData);
        child.stderr!.on('data', onData);
        child.on('exit', (code) => {
            clearTimeout(timer);
            reject(new Error(`server-everything exited (${code}) before listening:\n${output}`));
        });
    });
    return {
        url: `http://127.0.0.1:${port}/${mode === 'sse' ? 'sse' : 'mcp'}`,
        child,
        stop: () =>
            new Promise<void>((resolve) => {
                if (child.exitCode !== null || child.signalCode !== null) {
                    resolve();
                    return;
                }
                child.once('exit', () => resolve());
                child.kill('SIGTERM');
                setTimeout(() => child.kill('SIGKILL'), 3000).unref();
            }),
    };
}

/** Whether a process is alive. */
export function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

/** The ToolError a call fails with; fails the test when the call succeeds or throws anything else. */
export async function rejection(promise: Promise<unknown>): Promise<ToolError> {
    try {
        await promise;
    } catch (err) {
        expect(err).toBeInstanceOf(ToolError);
        return err as ToolError;
    }
    throw new Error('expected the call to fail');
}
