/**
 * What a top-level block's checks and references read besides the block itself: the
 * document's other declarations except its workflows (tools, servers, imports, tests),
 * every other document of the workspace (a new text there is a new parse result), and
 * the MCP servers' tools (ServerTools' version). While a block is the same node (its
 * subtree never changes: reparse.ts replaces whole blocks) and this context is the same,
 * its checks accept the same diagnostics (check-cache.ts) and its references, a
 * workflow's or a tool declaration's, resolve to the same targets (fast-linker.ts): no
 * workflow's check or reference reads another workflow.
 */
import type { LangiumCoreServices, LangiumDocument } from 'langium';
import { isDocument } from '../generated/ast.js';
import type { ServerToolCatalog } from '../server-tools.js';

export function blockContext(services: LangiumCoreServices, document: LangiumDocument): unknown[] {
    const serverTools = (services as { tools?: { ServerTools?: ServerToolCatalog } }).tools?.ServerTools;
    const context: unknown[] = [serverTools?.version];
    for (const other of services.shared.workspace.LangiumDocuments.all) {
        if (other !== document) {
            context.push(other.uri.toString(), other.parseResult);
        }
    }
    const root = document.parseResult.value;
    if (isDocument(root)) {
        context.push(root, ...root.imports, ...root.servers, ...root.tools, ...root.tests);
    } else {
        context.push(root);
    }
    return context;
}

export function sameContext(a: readonly unknown[] | undefined, b: readonly unknown[]): boolean {
    return a !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);
}
