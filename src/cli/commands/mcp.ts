/**
 * `kmflow mcp [--root DIR] [--allow-exec]`: serves the `km_ecosystem_orchestrator` MCP
 * tool over stdio. stdout is the MCP channel: logs go to stderr only.
 */
import { serveStdio } from '../../mcp/server.js';
import type { CommandContext } from '../command-context.js';

/** Reported to clients in `initialize` (serverInfo.version). */
const VERSION = '0.1.0';

export async function mcpCommand(ctx: CommandContext): Promise<number> {
    if (ctx.positionals.length > 0) {
        ctx.fail('mcp takes no FILE: clients pass workflows as workflow_definition');
        return 2;
    }
    await serveStdio({ root: ctx.root, allowExec: Boolean(ctx.options['allow-exec']), version: VERSION });
    return 0;
}
