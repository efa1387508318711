/** `kmflow tools [FILE...] [--server NAME] [--json]`: the registry: built-in, bundled, declared and server tools. */
import * as path from 'node:path';
import type { ToolDescriptor } from '../../engine/model/index.js';
import { listServerTools } from '../../app/index.js';
import { cliWorkspace } from '../load-one.js';
import type { CommandContext } from '../command-context.js';

export async function toolsCommand(ctx: CommandContext): Promise<number> {
    const workspace = cliWorkspace(ctx);
    const Kmflow = workspace.services;
    // Without files, list what a document importing every bundled catalog sees.
    const loaded = await workspace.load({ files: ctx.positionals, context: false, allCatalogs: ctx.positionals.length === 0 });
    if (loaded.problems.length > 0) {
        ctx.fail(`${loaded.problems[0].file}: ${loaded.problems[0].message}`);
        return 2;
    }
    const index = Kmflow.tools.ToolIndex;
    const byId = new Map<string, ToolDescriptor>();
    const docs = loaded.files.length > 0 ? loaded.files.map((f) => f.document)
        : Kmflow.shared.workspace.LangiumDocuments.all.filter((d) => d.uri.scheme === 'kmflow-catalog').toArray();
    for (const doc of docs) {
        for (const tool of index.visibleTools(doc)) {
            if (!byId.has(tool.id)) {
                byId.set(tool.id, tool);
            }
        }
    }
    const server = ctx.options.server as string | undefined;
    const declared = workspace.servers();
    const known = new Set([...declared.map((s) => s.name), ...[...byId.values()].flatMap((t) => t.via?.server ?? [])]);
    if (server !== undefined && !known.has(server)) {
        const names = [...known].sort();
        ctx.fail(`no server '${server}' is declared${names.length > 0 ? ` (servers: ${names.join(', ')})` : ''}`);
        return 2;
    }
    const listed = await listServerTools(declared, { root: ctx.root });
    for (const tool of listed.tools) {
        byId.set(tool.id, tool);
    }
    let tools = [...byId.values()];
    if (server !== undefined) {
        tools = tools.filter((t) => t.via?.server === server);
    }
    if (ctx.json) {
        ctx.out(JSON.stringify({ tools: tools.map(summary), errors: listed.errors }, null, 2));
    } else {
        const width = Math.max(4, ...tools.map((t) => t.id.length));
        for (const t of tools) {
            const where = t.location ? ` ${path.relative(ctx.root, t.location.file) || t.location.file}:${t.location.line}` : '';
            ctx.out(`${t.id.padEnd(width)}  ${t.source.padEnd(8)} ${t.security.padEnd(10)} ${(t.category ?? '').padEnd(16)} ` +
                `${t.title ?? ''}${t.status && t.status !== 'live' ? ` [${t.status}]` : ''}${where}`);
        }
        for (const e of listed.errors) {
            ctx.err(`server ${e.server}: ${e.message}`);
        }
    }
    return listed.errors.length > 0 ? 1 : 0;
}

function summary(t: ToolDescriptor): Record<string, unknown> {
    return {
        id: t.id, title: t.title, source: t.source, category: t.category, capabilities: t.capabilities,
        security: t.security, readOnly: t.readOnly, idempotent: t.idempotent ?? false, destructive: t.destructive ?? false,
        status: t.status ?? 'live', via: t.via, location: t.location, inputSchema: t.inputSchema,
    };
}
