/**
 * The checks in front of `kmflow mcp --http`, kept free of I/O so they can be read and
 * tested alone: where to bind (`HOST:PORT`), which Host and Origin headers a request may
 * carry (against DNS rebinding: the bound host and port, the loopback names, and what
 * `--allowed-origin` adds), and the bearer token, compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import * as os from 'node:os';

export interface BindAddress {
    /** As given, without IPv6 brackets: `127.0.0.1`, `::1`, `0.0.0.0`, `localhost`, a name. */
    host: string;
    /** 0 picks a free port. */
    port: number;
}

/** A refusal: the status and one line for the body. */
export interface Refusal {
    status: number;
    message: string;
    headers?: Record<string, string>;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

/** `HOST:PORT`, `[V6]:PORT` or `:PORT` (loopback). Throws one line on anything else. */
export function parseBindAddress(text: string): BindAddress {
    const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
    const port = match ? Number(match[3]) : NaN;
    if (!match || port > 65535) {
        throw new Error(`--http takes HOST:PORT (e.g. 127.0.0.1:8931, [::1]:8931, 0.0.0.0:8931), not '${text}'`);
    }
    return { host: (match[1] ?? match[2]) || '127.0.0.1', port };
}

/** True for names and addresses that never leave the machine. */
export function isLoopbackHost(host: string): boolean {
    const h = host.toLowerCase().replace(/^\[|\]$/g, '');
    return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1';
}

function isWildcard(host: string): boolean {
    return host === '0.0.0.0' || host === '::' || host === '';
}

/** `host[:port]` as a Host header writes it: IPv6 in brackets, lower case. */
function hostPort(host: string, port: number | undefined): string {
    const h = host.includes(':') ? `[${host.toLowerCase()}]` : host.toLowerCase();
    return port === undefined ? h : `${h}:${port}`;
}

/**
 * What a request's headers may say. Host: `name:port` for the bound host (on a wildcard
 * bind: this machine's addresses and host name) and the loopback names, on the bound
 * port; plus the host of each `--allowed-origin`. Origin, when sent: `http://` one of
 * those, or exactly one of the `--allowed-origin` values.
 */
export class HeaderPolicy {
    readonly hosts = new Set<string>();
    readonly origins = new Set<string>();

    constructor(bind: BindAddress, boundPort: number, allowedOrigins: readonly string[] = []) {
        const names = new Set(LOOPBACK_NAMES);
        if (isWildcard(bind.host)) {
            for (const list of Object.values(os.networkInterfaces())) {
                for (const info of list ?? []) {
                    names.add(info.address.replace(/%.*$/, ''));
                }
            }
            names.add(os.hostname());
        } else {
            names.add(bind.host);
        }
        for (const name of names) {
            this.hosts.add(hostPort(name, boundPort));
            this.origins.add(`http://${hostPort(name, boundPort)}`);
            if (boundPort === 80) {
                // The default port is left out of Host and Origin.
                this.hosts.add(hostPort(name, undefined));
                this.origins.add(`http://${hostPort(name, undefined)}`);
            }
        }
        for (const origin of allowedOrigins) {
            const url = new URL(origin); // checked by normalizeOrigin before
            this.origins.add(url.origin);
            this.hosts.add(url.host.toLowerCase());
        }
    }

    /** undefined when the request may go on; else a 403. */
    check(host: string | undefined, origin: string | undefined): Refusal | undefined {
        if (!host || !this.hosts.has(host.toLowerCase())) {
            return { status: 403, message: `Forbidden: Host '${host ?? ''}' is not this server (DNS rebinding protection; see --allowed-origin)` };
        }
        if (origin !== undefined && !this.origins.has(origin.toLowerCase())) {
            return { status: 403, message: `Forbidden: Origin '${origin}' is not allowed (add it with --allowed-origin)` };
        }
        return undefined;
    }
}

/** `--allowed-origin` values as origins (`scheme://host[:port]`); throws one line on anything else. */
export function normalizeOrigin(text: string): string {
    let url: URL;
    try {
        url = new URL(text);
    } catch {
        throw new Error(`--allowed-origin takes an origin like https://example.com:8443, not '${text}'`);
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search || url.hash || url.username) {
        throw new Error(`--allowed-origin takes an origin like https://example.com:8443 (no path), not '${text}'`);
    }
    return url.origin;
}

function digest(text: string): Buffer {
    return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * The bearer token check: undefined when `authorization` carries `token`, else a 401
 * with `WWW-Authenticate: Bearer`. Both sides are hashed first, so the comparison takes
 * the same time whatever the lengths.
 */
export function checkBearer(authorization: string | undefined, token: string): Refusal | undefined {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
    const given = match?.[1];
    const ok = given !== undefined && timingSafeEqual(digest(given), digest(token));
    if (ok) {
        return undefined;
    }
    const challenge = given === undefined ? 'Bearer realm="kmflow"' : 'Bearer realm="kmflow", error="invalid_token"';
    return { status: 401, message: given === undefined ? 'Unauthorized: a bearer token is required' : 'Unauthorized: the bearer token is wrong', headers: { 'WWW-Authenticate': challenge } };
}
