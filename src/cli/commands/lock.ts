/**
 * `kmflow lock FILE...`: asks the declared servers for their tools and writes
 * `.kmflow/schemas.lock.json` (tool names, schema hashes and schemas), like a package
 * lock; `kmflow check` then validates offline against it.
 */
import { McpConnectorPool } from '../../engine/tools/index.js';
import { buildLock, mergeLock, readLock, writeLock } from '../../engine/state/index.js';
import { cliWorkspace } from '../load-one.js';
import type { CommandContext } from '../command-context.js';

export async function lockCommand(ctx: CommandContext): Promise<number> {
    if (ctx.positionals.length === 0) {
        ctx.fail('lock needs the FILE(s) that declare the servers (kmflow lock workflow.kmflow)');
        return 2;
    }
    const workspace = cliWorkspace(ctx);
    const loaded = await workspace.load({ files: ctx.positionals, context: false });
    if (loaded.problems.length > 0) {
        ctx.fail(`${loaded.problems[0].file}: ${loaded.problems[0].message}`);
        return 2;
    }
    const servers = workspace.servers();
    if (servers.length === 0) {
        ctx.fail('the files declare no server; nothing to lock');
        return 2;
    }
    const pool = new McpConnectorPool(servers, { root: ctx.root });
    let listing;
    try {
        listing = await pool.listAll();
    } finally {
        await pool.closeAll();
    }
    const lock = mergeLock(await readLock(ctx.root), buildLock(listing.servers));
    const file = await writeLock(ctx.root, lock);
    const summary = Object.entries(listing.servers).map(([name, tools]) => ({ server: name, tools: tools.length }));
    const errors = listing.errors.map((e) => ({ server: e.server, message: e.error.message }));
    if (ctx.json) {
        ctx.out(JSON.stringify({ file, servers: summary, errors }, null, 2));
    } else {
        for (const s of summary) {
            ctx.err(`locked ${s.tools} tool(s) of server ${s.server}`);
        }
        for (const e of errors) {
            ctx.err(`server ${e.server}: ${e.message}`);
        }
        ctx.err(`wrote ${file}`);
    }
    return errors.length > 0 ? 1 : 0;
}
