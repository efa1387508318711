/**
 * `kmflow mcp [--root DIR] [--allow-exec] [--allow-servers NAME,...] [--allow-env NAME,...]`:
 * serves the `km_ecosystem_orchestrator` MCP tool, untrusted by default (src/mcp/grants.ts),
 * over stdio (stdout is the MCP channel: logs go to stderr only), or with
 * `--http HOST:PORT [--token-env NAME] [--allowed-origin ORIGIN]...` over streamable HTTP.
 */
import { httpOnlyOptionMisuse, serveHttpCommand } from './mcp-http.js';
import { grantsFromOptions, type McpGrants } from '../../mcp/grants.js';
import { serveStdio } from '../../mcp/server.js';
import type { CommandContext } from '../command-context.js';

/** Reported to clients in `initialize` (serverInfo.version). */
const VERSION = '0.1.0';

export async function mcpCommand(ctx: CommandContext): Promise<number> {
    if (ctx.positionals.length > 0) {
        ctx.fail('mcp takes no FILE: clients pass workflows as workflow_definition');
        return 2;
    }
    const misuse = httpOnlyOptionMisuse(ctx.options);
    if (misuse) {
        ctx.fail(misuse);
        return 2;
    }
    let grants: McpGrants;
    try {
        grants = grantsFromOptions(ctx.root, ctx.options);
    } catch (err) {
        ctx.fail((err as Error).message);
        return 2;
    }
    // One set of options for both transports: they serve the same tool alike.
    const options = { grants, version: VERSION };
    if (ctx.options.http !== undefined) {
        return serveHttpCommand(ctx, options);
    }
    await serveStdio(options);
    return 0;
}
