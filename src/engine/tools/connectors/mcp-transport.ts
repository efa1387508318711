/**
 * Opening an MCP client session from a ServerSpec: a stdio child process (stderr
 * captured for error messages), or streamable HTTP with the older SSE transport as a
 * fallback. Failures become one `server-unavailable` ToolError naming the server.
 */
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { minimalEnvironment } from '../minimal-env.js';
import type { ServerSpec } from '../../model/model.js';
import { ToolError } from '../tool-error.js';

/** Connect (initialize) timeout when the server declares none. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;

/** How we introduce ourselves in `initialize`. */
export const CLIENT_INFO = { name: 'kmflow', version: '0.1.0' } as const;

/** The last `limit` characters a stream wrote: enough to explain a crash. */
export class OutputTail {
    private text = '';
    constructor(private readonly limit = 4000) {}

    push(chunk: unknown): void {
        this.text += String(chunk);
        if (this.text.length > this.limit * 2) {
            this.text = this.text.slice(-this.limit);
        }
    }

    /** The tail, trimmed, at most `limit` characters (from a line start when it can). */
    get(limit = this.limit): string {
        let tail = this.text.slice(-limit);
        const nl = tail.indexOf('\n');
        if (this.text.length > limit && nl >= 0 && nl < tail.length - 1) {
            tail = tail.slice(nl + 1);
        }
        return tail.trim();
    }

    clear(): void {
        this.text = '';
    }
}

/** How to open a session. */
export interface OpenOptions {
    /** Base of a relative `cwd`, and a stdio server's default working directory. */
    root: string;
    /** Gets a stdio server's stderr. */
    stderr: OutputTail;
    connectTimeoutMs?: number;
    /** The largest message read from a stdio server (`mcp-line-buffer.ts`); default the SDK's 10 MB. */
    maxMessageBytes?: number;
}

/** A connected session. */
export interface OpenedSession {
    client: Client;
    kind: 'stdio' | 'streamable-http' | 'sse';
    /** The child process, for stdio servers. */
    pid?: number;
    /** Ends the session (and the child process). Never rejects. */
    close(): Promise<void>;
}

/**
 * The environment of a stdio server: a minimal safe one (`minimal-env.ts`, the SDK's
 * set plus temp dir and locale), the server's `env` over it. The rest of our
 * environment (tokens, secrets) stays out unless the file passes it.
 */
export function serverEnvironment(spec: ServerSpec, base: NodeJS.ProcessEnv = process.env): Record<string, string> {
    return minimalEnvironment(spec.env, base);
}

/** `command arg1 arg2`, for messages. */
export function commandLine(spec: ServerSpec): string {
    return [spec.command ?? '', ...(spec.args ?? [])].map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ');
}

/**
 * A client of the SDK, loaded with its transports when a session opens: the SDK builds the
 * schemas of every message it knows as it loads, which a command that opens no session
 * (`check`, a run of built-ins) should not pay for.
 */
async function newClient(): Promise<Client> {
    const { Client: SdkClient } = await import('@modelcontextprotocol/sdk/client/index.js');
    return new SdkClient({ ...CLIENT_INFO }, { capabilities: {} });
}

function reasonOf(err: unknown, timeoutMs?: number): string {
    const e = err as { code?: unknown; message?: unknown } | undefined;
    if (e?.code === 'ENOENT') {
        return 'command not found';
    }
    if (e?.code === 'EACCES') {
        return 'command not executable';
    }
    let message = typeof e?.message === 'string' ? e.message : String(err);
    // undici says only "fetch failed"; the cause says why (ECONNREFUSED, bad port...).
    const cause = (err as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
    if (/fetch failed/.test(message) && cause) {
        message += ` (${typeof cause.code === 'string' ? cause.code : String(cause.message)})`;
    }
    if (/MCP error -32001/.test(message) && timeoutMs !== undefined) {
        return `no answer to initialize within ${timeoutMs} ms`;
    }
    return message === 'Connection closed' || /MCP error -32000/.test(message) ? 'the server exited before it answered' : message;
}

/** Lets stderr that raced the exit arrive before we quote it. */
function settle(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 50));
}

function isAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

/**
 * Stops a server that failed to initialize. The SDK's client closes the transport by
 * itself on a failed `connect`, but its escalation to SIGTERM runs on unref'd timers:
 * a CLI that exits first would leave a hung server behind.
 */
async function stopProcess(pid: number | undefined): Promise<void> {
    if (pid === undefined || !isAlive(pid)) {
        return;
    }
    try {
        process.kill(pid, 'SIGTERM');
    } catch {
        return;
    }
    for (let waited = 0; waited < 1000 && isAlive(pid); waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (isAlive(pid)) {
        try {
            process.kill(pid, 'SIGKILL');
        } catch {
            // Gone meanwhile.
        }
    }
}

/** Starts a stdio server and initializes a session with it. */
export async function openStdio(spec: ServerSpec, options: OpenOptions): Promise<OpenedSession> {
    // `~/` in the command, as in the cwd: a path a user writes as they would in a shell.
    const command = expandHome(spec.command ?? '');
    const [{ StdioClientTransport }, { useLineBuffer }] = await Promise.all([
        import('@modelcontextprotocol/sdk/client/stdio.js'), import('./mcp-line-buffer.js'),
    ]);
    const transport = new StdioClientTransport({
        command,
        args: spec.args ?? [],
        env: serverEnvironment(spec),
        cwd: spec.cwd ? path.resolve(options.root, expandHome(spec.cwd)) : options.root,
        stderr: 'pipe',
        maxBufferSize: options.maxMessageBytes,
    });
    if (options.maxMessageBytes !== undefined) {
        useLineBuffer(transport, options.maxMessageBytes);
    }
    // Read stderr from the start: it explains failures, and an unread pipe would
    // eventually block a chatty server.
    transport.stderr?.on('data', (chunk: unknown) => options.stderr.push(chunk));
    // Remember the pid as soon as the process exists: a failed `connect` makes the
    // client forget its process (see `stopProcess`).
    let pid: number | undefined;
    const start = transport.start.bind(transport);
    transport.start = async () => {
        await start();
        pid = transport.pid ?? undefined;
    };
    const client = await newClient();
    const timeout = spec.timeoutMs ?? options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    try {
        await client.connect(transport, { timeout });
    } catch (err) {
        await client.close().catch(() => undefined);
        await stopProcess(pid);
        await settle();
        const tail = options.stderr.get(1500);
        throw new ToolError(
            'server-unavailable',
            `MCP server '${spec.name}' could not start: ${reasonOf(err, timeout)} (command: ${commandLine(spec)})${tail ? `\nstderr:\n${tail}` : ''}`,
            // Spawning the same command again fails the same way.
            { retryable: false, cause: err },
        );
    }
    return {
        client,
        kind: 'stdio',
        pid: transport.pid ?? undefined,
        close: () => closeStdio(client, pid),
    };
}

/**
 * How long a stdio server may take to exit once its stdin is closed before it gets
 * SIGTERM (then SIGKILL, `stopProcess`). The SDK alone waits 2 s, then 2 more after
 * SIGTERM: a server still busy with a call the run gave up on (a timed-out step) kept
 * the CLI from exiting for seconds after its report.
 */
export const STDIO_EXIT_GRACE_MS = 200;

/** Ends a stdio session: stdin closed, SIGTERM after the grace, SIGKILL after that. */
async function closeStdio(client: Client, pid: number | undefined): Promise<void> {
    const closing = client.close().catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const graceOver = await Promise.race([
        closing.then(() => false),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), STDIO_EXIT_GRACE_MS))),
    ]);
    clearTimeout(timer);
    if (graceOver) {
        await stopProcess(pid);
    }
    await closing;
}

/** Connects to an HTTP server: streamable HTTP first, then the 2024-11-05 SSE transport. */
export async function openHttp(spec: ServerSpec, options: { connectTimeoutMs?: number }): Promise<OpenedSession> {
    const url = new URL(spec.url ?? '');
    const requestInit: RequestInit | undefined = spec.headers ? { headers: spec.headers } : undefined;
    const timeout = spec.timeoutMs ?? options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const [{ StreamableHTTPClientTransport }, { SSEClientTransport }] = await Promise.all([
        import('@modelcontextprotocol/sdk/client/streamableHttp.js'), import('@modelcontextprotocol/sdk/client/sse.js'),
    ]);
    const streamable = new StreamableHTTPClientTransport(url, { requestInit });
    const client = await newClient();
    try {
        await client.connect(streamable, { timeout });
        return {
            client,
            kind: 'streamable-http',
            close: async () => {
                // Tell the server the session is over (it may answer 405: fine).
                await streamable.terminateSession().catch(() => undefined);
                await client.close().catch(() => undefined);
            },
        };
    } catch (first) {
        await client.close().catch(() => undefined);
        // Servers from before streamable HTTP answer the POST with 4xx; they speak SSE.
        const fallback = await newClient();
        try {
            await fallback.connect(new SSEClientTransport(url, { requestInit }), { timeout });
            return { client: fallback, kind: 'sse', close: () => fallback.close().catch(() => undefined) };
        } catch (second) {
            await fallback.close().catch(() => undefined);
            throw new ToolError(
                'server-unavailable',
                `MCP server '${spec.name}' is unreachable at ${url.href}: ${reasonOf(first, timeout)} (SSE fallback: ${reasonOf(second, timeout)})`,
                // A remote server may be restarting or the network may come back.
                { retryable: true, cause: first },
            );
        }
    }
}

/** Opens a session for `spec` (stdio when it has a `command`, else HTTP). */
export function openSession(spec: ServerSpec, options: OpenOptions): Promise<OpenedSession> {
    if (spec.command) {
        return openStdio(spec, options);
    }
    if (spec.url) {
        return openHttp(spec, options);
    }
    return Promise.reject(new ToolError('server-unavailable', `MCP server '${spec.name}' has neither a command nor a url`, { retryable: false }));
}

/** `~/x` as the user's home folder, as a shell would read it; anything else unchanged. */
export function expandHome(dir: string): string {
    return dir === '~' || dir.startsWith('~/') ? path.join(os.homedir(), dir.slice(1)) : dir;
}
