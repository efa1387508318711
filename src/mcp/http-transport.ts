/**
 * `kmflow mcp --http HOST:PORT`: the same `km_ecosystem_orchestrator` server as over
 * stdio, for remote clients over the MCP SDK's streamable HTTP transport at `/mcp`.
 * Stateful: `initialize` opens a session (`Mcp-Session-Id`), each with its own SDK
 * server over one shared operation context (routing statistics, log), so every
 * transport answers alike. In front of the SDK: the Host/Origin check against DNS
 * rebinding (http-guard.ts), the bearer token when one is set (required off loopback),
 * CORS for `--allowed-origin`, and a bound on the request body. SIGINT/SIGTERM stop
 * listening, let calls in flight finish (a few seconds at most) and close every session.
 */
import * as http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { callsInFlight, createOperationContext, createOrchestratorServer, type McpServerOptions } from './server.js';
import { checkBearer, HeaderPolicy, type BindAddress, type Refusal } from './http-guard.js';

export interface HttpServeOptions extends McpServerOptions {
    bind: BindAddress;
    /** The bearer token every request must carry; none: no check (loopback only, enforced by the command). */
    token?: string;
    /** Where the token came from, for the startup line (`$KMFLOW_MCP_TOKEN`). */
    tokenSource?: string;
    /** Extra origins (`https://host[:port]`) allowed in Origin, their hosts in Host. */
    allowedOrigins: string[];
    /** Upper bound on a request body, in bytes (default 1 MiB). */
    maxBodyBytes?: number;
    /** Resolves to stop (tests); SIGINT and SIGTERM always do. */
    stop?: Promise<void>;
}

export const MCP_PATH = '/mcp';
const DEFAULT_MAX_BODY = 1024 * 1024;
/** Open sessions at most; an `initialize` beyond that is answered 503. */
const MAX_SESSIONS = 256;
/** How long a shutdown waits for tool calls still running. */
const DRAIN_MS = 5000;

interface Session {
    transport: StreamableHTTPServerTransport;
    server: Server;
}

function send(res: http.ServerResponse, refusal: Refusal, extra: Record<string, string> = {}): void {
    if (res.headersSent) {
        res.end();
        return;
    }
    const body = JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: refusal.message }, id: null });
    res.writeHead(refusal.status, { 'Content-Type': 'application/json', ...extra, ...refusal.headers }).end(body);
}

/** CORS for an allowed Origin: browsers may call, and read the session id. */
function corsHeaders(origin: string | undefined): Record<string, string> {
    return origin === undefined ? {} : {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Expose-Headers': 'Mcp-Session-Id, WWW-Authenticate',
        Vary: 'Origin',
    };
}

/** `http://host:port/mcp` for the startup line: IPv6 in brackets. */
export function serverUrl(host: string, port: number): string {
    return `http://${host.includes(':') ? `[${host}]` : host}:${port}${MCP_PATH}`;
}

/** Serves until SIGINT, SIGTERM or `options.stop`; resolves once every session is closed. */
export async function serveHttp(options: HttpServeOptions): Promise<void> {
    const ctx = await createOperationContext(options);
    const sessions = new Map<string, Session>();
    const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
    let stopping = false;

    const openSession = async (): Promise<Session> => {
        const server = await createOrchestratorServer(options, ctx);
        const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
            sessionIdGenerator: () => randomUUID(),
            onsessioninitialized: (id) => { sessions.set(id, session); },
            maxRequestBodySize: maxBody,
        });
        const session: Session = { transport, server };
        transport.onclose = () => {
            if (transport.sessionId !== undefined) {
                sessions.delete(transport.sessionId);
            }
        };
        if (process.env.KMFLOW_DEBUG) {
            transport.onerror = (err) => process.stderr.write(`kmflow mcp: http: ${err.message}\n`);
        }
        await server.connect(transport);
        return session;
    };

    const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
        const path = (req.url ?? '').split('?')[0];
        const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
        const refused = policy.check(req.headers.host, origin);
        if (refused) {
            return send(res, refused);
        }
        const cors = corsHeaders(origin);
        if (path !== MCP_PATH) {
            return send(res, { status: 404, message: `Not Found: the MCP endpoint is ${MCP_PATH}` }, cors);
        }
        if (req.method === 'OPTIONS') {
            // A browser's preflight carries no credentials: answered before the token check.
            res.writeHead(204, {
                ...cors,
                'Access-Control-Allow-Methods': 'GET, POST, DELETE',
                'Access-Control-Allow-Headers': 'Authorization, Content-Type, Accept, Mcp-Session-Id, Mcp-Protocol-Version, Last-Event-ID',
                'Access-Control-Max-Age': '600',
            }).end();
            return;
        }
        for (const [name, value] of Object.entries(cors)) {
            res.setHeader(name, value);
        }
        if (options.token !== undefined) {
            const unauthorized = checkBearer(req.headers.authorization, options.token);
            if (unauthorized) {
                return send(res, unauthorized);
            }
        }
        if (req.method !== 'POST' && req.method !== 'GET' && req.method !== 'DELETE') {
            return send(res, { status: 405, message: 'Method Not Allowed' }, { Allow: 'GET, POST, DELETE, OPTIONS' });
        }
        if (stopping) {
            return send(res, { status: 503, message: 'Service Unavailable: the server is shutting down' });
        }
        if (Number(req.headers['content-length']) > maxBody) {
            return send(res, { status: 413, message: `Payload Too Large: a request body is at most ${maxBody} bytes` });
        }
        const sessionId = req.headers['mcp-session-id'];
        if (typeof sessionId === 'string') {
            const session = sessions.get(sessionId);
            if (!session) {
                res.writeHead(404, { 'Content-Type': 'application/json' })
                    .end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }));
                return;
            }
            return session.transport.handleRequest(req, res);
        }
        if (req.method !== 'POST') {
            return send(res, { status: 400, message: 'Bad Request: Mcp-Session-Id header is required' });
        }
        if (sessions.size >= MAX_SESSIONS) {
            return send(res, { status: 503, message: `Service Unavailable: ${MAX_SESSIONS} sessions are open; close one (DELETE) first` });
        }
        // No session yet: only an `initialize` opens one; the SDK answers anything else 400.
        const session = await openSession();
        await session.transport.handleRequest(req, res);
        if (session.transport.sessionId === undefined) {
            await session.server.close().catch(() => undefined);
        }
    };

    const httpServer = http.createServer((req, res) => {
        handle(req, res).catch((err: unknown) => {
            process.stderr.write(`kmflow mcp: http: ${err instanceof Error ? err.message : String(err)}\n`);
            send(res, { status: 500, message: 'Internal Server Error' });
        });
    });

    await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(options.bind.port, options.bind.host, () => {
            httpServer.off('error', reject);
            resolve();
        });
    });
    const port = (httpServer.address() as AddressInfo).port;
    // Set before any request is handled: those come as events, after this continuation.
    const policy = new HeaderPolicy(options.bind, port, options.allowedOrigins);
    const auth = options.token !== undefined ? `bearer token from ${options.tokenSource ?? 'the environment'} required` : 'no token: loopback only';
    process.stderr.write(`kmflow mcp: serving streamable HTTP on ${serverUrl(options.bind.host, port)} (${auth})\n`);

    await new Promise<void>((resolve) => {
        const onSignal = (): void => {
            process.off('SIGINT', onSignal);
            process.off('SIGTERM', onSignal);
            resolve();
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
        void options.stop?.then(onSignal);
    });
    stopping = true;
    process.stderr.write(`kmflow mcp: shutting down (${sessions.size} session${sessions.size === 1 ? '' : 's'})\n`);
    // A second signal while draining ends at once.
    const now = (): never => process.exit(130);
    process.once('SIGINT', now);
    process.once('SIGTERM', now);
    const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
    const deadline = Date.now() + DRAIN_MS;
    while (callsInFlight() > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
    }
    await Promise.all([...sessions.values()].map((s) => s.server.close().catch(() => undefined)));
    httpServer.closeAllConnections();
    await closed;
    process.off('SIGINT', now);
    process.off('SIGTERM', now);
}
