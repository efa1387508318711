/**
 * `kmflow/tools`, `kmflow/capabilities` and `kmflow/suggest`: the tools a document sees
 * (as the server indexes them), the capabilities they provide with their tool counts,
 * and a suggested workflow over them, checked before it is answered. The check runs in
 * a scratch workspace of its own holding the document's text, so a suggestion never
 * reaches the editor's Problems.
 */
import * as path from 'node:path';
import type { CancellationToken } from 'vscode-languageserver';
import { capabilityChoices, SUGGEST_TARGETS, suggestIn, Workspace } from '../../app/index.js';
import type { OptimizationTarget, ToolDescriptor } from '../../engine/model/index.js';
import { CATALOG_SCHEME } from '../../language/catalogs.js';
import type { Capabilities, SuggestParams, Suggested, ToolInfo, ToolsParams } from '../../shared/lsp-protocol.js';
import { documentOf, relativeFile, rootOf, type ServerContext } from '../context.js';

/** The tools `uri` sees; without one, those of the bundled catalogs. Deduplicated by id (the first declaration wins). */
async function toolsOf(ctx: ServerContext, uri: string | undefined, token?: CancellationToken): Promise<ToolDescriptor[]> {
    const index = ctx.services.tools.ToolIndex;
    const documents = uri !== undefined
        ? [await documentOf(ctx, uri, token)]
        : (await ctx.ready(), ctx.services.shared.workspace.LangiumDocuments.all.filter((d) => d.uri.scheme === CATALOG_SCHEME).toArray());
    const seen = new Set<string>();
    return documents.flatMap((d) => index.visibleTools(d)).filter((t) => !seen.has(t.id) && seen.add(t.id) !== undefined);
}

export async function toolsRequest(ctx: ServerContext, params: ToolsParams, token?: CancellationToken): Promise<{ tools: ToolInfo[] }> {
    return { tools: await toolsOf(ctx, params.uri, token) };
}

export async function capabilitiesRequest(ctx: ServerContext, params: ToolsParams, token?: CancellationToken): Promise<Capabilities> {
    return { capabilities: capabilityChoices(await toolsOf(ctx, params.uri, token)), targets: [...SUGGEST_TARGETS] };
}

export async function suggestRequest(ctx: ServerContext, params: SuggestParams, token?: CancellationToken): Promise<Suggested> {
    if (!(SUGGEST_TARGETS as readonly string[]).includes(params.target)) {
        throw new Error(`unknown target '${params.target}' (targets: ${SUGGEST_TARGETS.join(', ')})`);
    }
    const root = params.uri !== undefined ? rootOf(ctx, params.uri) : ctx.folders()[0] ?? process.cwd();
    const document = params.uri !== undefined ? await documentOf(ctx, params.uri, token) : undefined;
    const scratch = Workspace.open({ root });
    await scratch.load({
        sources: [document
            ? { file: document.uri.scheme === 'file' ? document.uri.fsPath : path.join(root, relativeFile(params.uri!, root)), text: document.textDocument.getText() }
            : { file: path.join(root, '.kmflow-tools.kmflow'), text: 'import "km"\n' }],
    });
    const { suggestion, text, dropped, problems } = await suggestIn(scratch, params.capabilities, params.target as OptimizationTarget);
    return { text, uncovered: suggestion.uncovered, dropped, problems };
}
