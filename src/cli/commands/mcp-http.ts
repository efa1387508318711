/**
 * `kmflow mcp --http HOST:PORT [--token-env NAME] [--allowed-origin ORIGIN]...`: the
 * options read and checked, then `serveHttp`. The token is a secret, so it never comes
 * on the command line: it is read from the environment variable `--token-env` names
 * (default KMFLOW_MCP_TOKEN). Off loopback it is required: without it, no start.
 */
import type { CommandContext } from '../command-context.js';
import { isLoopbackHost, normalizeOrigin, parseBindAddress, type BindAddress } from '../../mcp/http-guard.js';
import type { McpServerOptions } from '../../mcp/server.js';

export const DEFAULT_TOKEN_ENV = 'KMFLOW_MCP_TOKEN';

/** `--token-env` or `--allowed-origin` without `--http`: a usage error (undefined when fine). */
export function httpOnlyOptionMisuse(options: CommandContext['options']): string | undefined {
    if (options.http === undefined && (options['token-env'] !== undefined || options['allowed-origin'] !== undefined)) {
        return '--token-env and --allowed-origin go with --http HOST:PORT';
    }
    return undefined;
}

export async function serveHttpCommand(ctx: CommandContext, base: McpServerOptions): Promise<number> {
    let bind: BindAddress;
    let allowedOrigins: string[];
    try {
        bind = parseBindAddress(String(ctx.options.http));
        const origins = ctx.options['allowed-origin'];
        allowedOrigins = (Array.isArray(origins) ? origins : typeof origins === 'string' ? [origins] : []).map(normalizeOrigin);
    } catch (err) {
        ctx.fail((err as Error).message);
        return 2;
    }
    const tokenEnv = typeof ctx.options['token-env'] === 'string' ? ctx.options['token-env'] : DEFAULT_TOKEN_ENV;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(tokenEnv)) {
        ctx.fail(`--token-env takes the NAME of an environment variable, not '${tokenEnv}'`);
        return 2;
    }
    const token = process.env[tokenEnv] || undefined;
    if (token === undefined && !isLoopbackHost(bind.host)) {
        ctx.fail(`--http ${bind.host} is not loopback: set a bearer token in $${tokenEnv} (or name another variable with --token-env), or bind 127.0.0.1`);
        return 2;
    }
    if (token !== undefined && /\s/.test(token)) {
        ctx.fail(`the bearer token in $${tokenEnv} must not contain white space`);
        return 2;
    }
    // Loaded only here: the HTTP server's code (node:http, the SDK's streamable transport) costs a stdio server's start.
    const { serveHttp } = await import('../../mcp/http-transport.js');
    await serveHttp({ ...base, bind, token, tokenSource: `$${tokenEnv}`, allowedOrigins });
    return 0;
}
