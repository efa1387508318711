/**
 * One MCP server's session: opened lazily on first use, shared by every step that
 * calls the server, reopened after the server dies, closed at the end of the run.
 * Opening checks the connection's Trust (spawn for stdio, network for HTTP, outside
 * the root for a `cwd` there) and resolves the spec's `${secret.X}` / `${env.X}`
 * (`server-guard.ts`); every error it raises has those secrets masked.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { ServerSpec, ToolDescriptor } from '../../model/model.js';
import type { ToolContext, ToolProgress } from '../registry.js';
import { ToolError } from '../tool-error.js';
import type { Trust } from '../../security/trust.js';
import { mcpToolDescriptor, type McpToolInfo } from './mcp-descriptor.js';
import { callLimit } from './mcp-call-limit.js';
import { callError } from './mcp-errors.js';
import { asTooLarge, messageLimitFor, type MessageTooLargeError } from './mcp-message-limit.js';
import { DEFAULT_MAX_OUTPUT_BYTES, outputTooLarge } from '../../run/output-limit.js';
import type { McpCallResult } from './mcp-output.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, OutputTail, openSession, type OpenedSession } from './mcp-transport.js';
import { ServerGuard } from './server-guard.js';

/**
 * Longest silence we accept from a call before giving up on it, when neither the step
 * nor the server sets a `timeout` (`mcp-call-limit.ts`). It restarts with every progress
 * notification; it only keeps a call without a limit from hanging forever on a wedged
 * server.
 */
export const DEFAULT_CALL_TIMEOUT_MS = 10 * 60_000;

/** Options of a connection. */
export interface McpConnectionOptions {
    /** Base of a relative `cwd` and default working directory of stdio servers. */
    root?: string;
    /** Connect/list timeout when the ServerSpec has none; default 15 s. */
    connectTimeoutMs?: number;
    /** Inactivity timeout of a call without a step or server `timeout`; default 10 min. */
    callTimeoutMs?: number;
    /**
     * The run's output limit (`output-limit.ts`, default 16 MB): a stdio server's messages
     * are read up to four times it (`mcp-line-buffer.ts`); a longer answer fails its call
     * with `output-too-large`, not `disconnected`.
     */
    maxOutputBytes?: number;
    /**
     * What opening may do: start the process (`spawn`), connect (`network`), work from a
     * `cwd` outside the root (`outsideRoot`). Absent: the pool's owner decided by
     * creating it; a run still checks its own Trust before every call.
     */
    trust?: Trust;
    /** `${secret.NAME}` reads these first, then the variable of `env`. */
    secrets?: Readonly<Record<string, string | undefined>>;
    /** `${env.NAME}`: default the host variables `trust.env` grants (all, without a trust). */
    env?: Readonly<Record<string, string | undefined>>;
}

/** Options of one call. */
export interface McpCallOptions {
    /** Used in messages (`SERVER.TOOL`). */
    toolId: string;
    signal: AbortSignal;
    onProgress?: (progress: ToolProgress) => void;
    /** The step's own timeout, which then bounds the call instead of the server's `timeout`. */
    stepTimeoutMs?: number;
    /**
     * The calling task's context: the same object for every attempt of one task, so a
     * cassette keeps a retry together with the call it retries (`state/recordings`).
     */
    context?: ToolContext;
}

/** Rejects with the signal's reason as soon as it aborts; else settles like `promise`. */
function withAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    if (!signal) {
        return promise;
    }
    if (signal.aborted) {
        return Promise.reject(signal.reason as unknown);
    }
    return new Promise<T>((resolve, reject) => {
        const onAbort = (): void => reject(signal.reason as unknown);
        signal.addEventListener('abort', onAbort, { once: true });
        promise.then(
            (value) => {
                signal.removeEventListener('abort', onAbort);
                resolve(value);
            },
            (err: unknown) => {
                signal.removeEventListener('abort', onAbort);
                reject(err);
            },
        );
    });
}

/** A lazily opened, self-healing session with one MCP server. */
export class McpConnection {
    private session: OpenedSession | undefined = undefined;
    private opening: Promise<OpenedSession> | undefined = undefined;
    /** A stdio server that could not start stays failed: respawning would fail alike. */
    private failure: ToolError | undefined = undefined;
    private readonly stderr = new OutputTail();
    private starts = 0;
    /** An HTTP liveness ping is on its way. */
    private probing = false;
    /** A stdio session's answer that was too long to read (the SDK then closed the session). */
    private tooLarge: { session: OpenedSession; error: MessageTooLargeError } | undefined = undefined;
    /** Trust, `${secret.X}` / `${env.X}` and the mask of those secrets. */
    private readonly guard: ServerGuard;

    constructor(
        readonly spec: ServerSpec,
        private readonly options: McpConnectionOptions = {},
    ) {
        this.guard = new ServerGuard(spec, options);
    }

    /** The server's name (`server NAME { ... }`). */
    get name(): string {
        return this.spec.name;
    }

    /** Whether a session is open right now. */
    get isOpen(): boolean {
        return this.session !== undefined;
    }

    /** The stdio server's process id while a session is open. */
    get pid(): number | undefined {
        return this.session?.pid;
    }

    /** How many sessions were opened so far (2 after one restart). */
    get sessionCount(): number {
        return this.starts;
    }

    /** The transport of the open session. */
    get transportKind(): OpenedSession['kind'] | undefined {
        return this.session?.kind;
    }

    /** The latest stderr of a stdio server (trimmed, at most `limit` characters). */
    stderrTail(limit = 1500): string {
        return this.guard.text(this.stderr.get(limit));
    }

    /** The SDK client, opening the session first if needed. Rejects on `signal` abort. */
    client(signal?: AbortSignal): Promise<Client> {
        if (this.failure) {
            return Promise.reject(this.failure);
        }
        if (this.session) {
            return Promise.resolve(this.session.client);
        }
        // Steps that start together share one start-up.
        this.opening ??= this.start();
        return withAbort(this.opening.then((s) => s.client), signal);
    }

    /** Why `trust` may not open this server, or undefined (the run asks before each call). */
    trustProblem(trust: Trust | undefined): ToolError | undefined {
        return this.guard.trustProblem(trust);
    }

    private async start(): Promise<OpenedSession> {
        this.stderr.clear();
        let session: OpenedSession;
        try {
            if (this.options.trust) {
                const problem = this.guard.trustProblem(this.options.trust);
                if (problem) {
                    throw problem;
                }
            }
            session = await openSession(this.guard.resolve(), {
                root: this.options.root ?? process.cwd(),
                stderr: this.stderr,
                connectTimeoutMs: this.options.connectTimeoutMs,
                maxMessageBytes: messageLimitFor(this.outputLimit),
            });
        } catch (err) {
            const error = this.guard.error(err instanceof ToolError ? err : new ToolError('server-unavailable', `MCP server '${this.name}': ${String(err)}`, { cause: err }));
            if (!error.retryable) {
                this.failure = error;
            }
            throw error;
        } finally {
            this.opening = undefined;
        }
        this.starts++;
        this.session = session;
        // The transport closed (the process died, the HTTP session ended): forget the
        // session so the next call starts a new one.
        session.client.onclose = () => {
            if (this.session === session) {
                this.session = undefined;
            }
        };
        if (session.kind === 'stdio') {
            session.client.onerror = (error) => {
                const tooLarge = asTooLarge(error);
                if (tooLarge) {
                    this.tooLarge = { session, error: tooLarge };
                }
            };
        } else {
            session.client.onerror = (error) => this.onHttpError(session, error);
        }
        return session;
    }

    /**
     * An HTTP server that dies mid-call only breaks the response stream: the SDK
     * reports it here and keeps the request pending (it may resume the stream). We
     * ping the server: no answer means it is gone, so we drop the session, which fails
     * the pending calls as `disconnected` instead of leaving them to their timeouts.
     */
    private onHttpError(session: OpenedSession, error: Error): void {
        if (this.session !== session) {
            return;
        }
        if (/Maximum reconnection attempts/.test(error.message)) {
            this.drop(session);
            return;
        }
        if (/SSE stream disconnected|Failed to reconnect/.test(error.message) && !this.probing) {
            this.probing = true;
            const timeout = Math.min(5000, this.spec.timeoutMs ?? this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
            session.client
                .ping({ timeout })
                .catch(() => this.drop(session))
                .finally(() => (this.probing = false));
        }
    }

    /** Forgets a dead session and closes its client (rejecting its pending calls). */
    private drop(session: OpenedSession): void {
        if (this.session === session) {
            this.session = undefined;
        }
        // Not session.close(): no goodbye to a server that is gone.
        void session.client.close().catch(() => undefined);
    }

    /** The server's tools as it lists them (all pages). */
    async listTools(signal?: AbortSignal): Promise<McpToolInfo[]> {
        const client = await this.client(signal);
        if (!client.getServerCapabilities()?.tools) {
            return [];
        }
        const timeout = this.spec.timeoutMs ?? this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
        const tools: McpToolInfo[] = [];
        let cursor: string | undefined;
        try {
            do {
                const page = await client.listTools(cursor === undefined ? undefined : { cursor }, { signal, timeout });
                tools.push(...(page.tools as McpToolInfo[]));
                cursor = page.nextCursor;
            } while (cursor);
        } catch (err) {
            const e = callError(err, { server: this.name, toolId: `${this.name} (tools/list)`, signal: signal ?? new AbortController().signal });
            throw this.guard.error(new ToolError(e.code === 'disconnected' ? 'disconnected' : 'server-unavailable', `MCP server '${this.name}' could not list its tools: ${e.message}`, {
                retryable: e.retryable,
                cause: err,
            }));
        }
        return tools;
    }

    /** The server's tools as registry descriptors (`SERVER.TOOL`). */
    async listDescriptors(signal?: AbortSignal): Promise<ToolDescriptor[]> {
        return (await this.listTools(signal)).map((t) => mcpToolDescriptor(this.name, t));
    }

    /**
     * Calls `name` with `args`. Aborting `options.signal` sends MCP cancellation and
     * rejects at once. Rejects with a ToolError only.
     */
    async callTool(name: string, args: Record<string, unknown>, options: McpCallOptions): Promise<McpCallResult> {
        const { signal, toolId } = options;
        let client: Client;
        try {
            client = await this.client(signal);
        } catch (err) {
            throw this.guard.error(callError(err, { server: this.name, toolId, signal }));
        }
        const session = this.session;
        const onProgress = options.onProgress;
        const limit = callLimit(this.spec.timeoutMs, options.stepTimeoutMs, this.options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS);
        try {
            const result = await client.callTool({ name, arguments: args }, undefined, {
                signal,
                timeout: limit.timeout,
                resetTimeoutOnProgress: limit.resetTimeoutOnProgress,
                ...(limit.maxTotalTimeout !== undefined && { maxTotalTimeout: limit.maxTotalTimeout }),
                onprogress: (p) => {
                    try {
                        onProgress?.({ progress: p.progress, total: p.total, message: p.message });
                    } catch {
                        // A listener's failure is not the call's.
                    }
                },
            });
            return result as McpCallResult;
        } catch (err) {
            // Give a dying process's last words a moment to arrive before quoting them.
            const lost = session !== undefined && this.session !== session;
            if (lost) {
                await new Promise((resolve) => setTimeout(resolve, 20));
            }
            if (lost && this.tooLarge?.session === session) {
                // The answer that closed the session; other calls in flight were only cut off.
                const { bytes } = this.tooLarge.error;
                this.tooLarge = undefined;
                throw outputTooLarge(`${toolId}: the answer of MCP server '${this.name}'`, bytes, this.outputLimit, true);
            }
            throw this.guard.error(callError(err, { server: this.name, toolId, signal, disconnected: lost, stderrTail: lost ? this.stderr.get(800) : undefined, serverTimeoutMs: limit.serverTimeoutMs }));
        }
    }

    private get outputLimit(): number {
        return this.options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    }

    /** Ends the session (and a stdio server's process). A later call opens a new one. */
    async close(): Promise<void> {
        const session = this.session ?? (await this.opening?.catch(() => undefined));
        this.session = undefined;
        await session?.close();
    }
}
