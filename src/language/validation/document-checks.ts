/** Checks over a whole document: unique ids, imports that resolve, servers that exist. */
import { AstUtils, type AstNode, type ValidationAcceptor } from 'langium';
import type { Document, ToolDecl } from '../generated/ast.js';
import type { KmflowServices } from '../kmflow-module.js';
import { Codes } from '../diagnostic-codes.js';
import { resolveImport } from '../catalogs.js';
import { toToolDescriptor } from '../tool-descriptors.js';
import { lastOf } from '../ast-options.js';

export function checkDocumentIds(doc: Document, accept: ValidationAcceptor): void {
    const groups: Array<[string, Array<AstNode & { name: string }>]> = [
        ['tool', doc.tools],
        ['server', doc.servers],
        ['workflow', doc.workflows],
    ];
    for (const [kind, nodes] of groups) {
        reportDuplicates(kind, nodes, accept);
    }
    for (const wf of doc.workflows) {
        reportDuplicates('step', wf.steps, accept);
        reportDuplicates('input', wf.inputs, accept);
    }
}

export function reportDuplicates(kind: string, nodes: Array<AstNode & { name: string }>, accept: ValidationAcceptor): void {
    const first = new Map<string, AstNode & { name: string }>();
    for (const node of nodes) {
        const earlier = first.get(node.name);
        if (!earlier) {
            first.set(node.name, node);
            continue;
        }
        const line = (earlier.$cstNode?.range.start.line ?? 0) + 1;
        accept('error', `${kind} id '${node.name}' is already used on line ${line}`, {
            node, property: 'name', code: Codes.DuplicateId, data: { code: Codes.DuplicateId },
        });
    }
}

export function checkImports(services: KmflowServices, doc: Document, accept: ValidationAcceptor): void {
    const uri = AstUtils.getDocument(doc).uri;
    const documents = services.shared.workspace.LangiumDocuments;
    for (const imp of doc.imports.filter((i) => i.path !== undefined)) {
        const target = resolveImport(uri, imp.path);
        const problem = !target
            ? `'${imp.path}' is neither a bundled catalog (std, km) nor a relative path such as "./tools.kmflow"`
            : !documents.hasDocument(target) ? `cannot find '${imp.path}' (looked for ${target.scheme === 'file' ? target.fsPath : target.toString()})`
                : undefined;
        if (problem) {
            accept('error', problem, { node: imp, property: 'path', code: Codes.UnknownImport, data: { code: Codes.UnknownImport } });
        }
    }
}

/**
 * What is known of each declared server's tools, said once on its `server` line: a
 * server that was asked (`check --live`, the language server) and did not answer is a
 * warning naming why; one whose tools are unknown (no lock entry, no live answer) is an
 * info where a step calls its own list (`SERVER.TOOL`).
 */
export function checkServerKnowledge(services: KmflowServices, doc: Document, accept: ValidationAcceptor): void {
    const catalog = services.tools.ServerTools;
    const steps = doc.workflows.flatMap((w) => w.steps);
    for (const server of doc.servers) {
        if (!server.name) {
            continue;
        }
        const error = catalog.liveError(server.name);
        if (error) {
            const known = catalog.toolsOf(server.name) ? '; its tools are checked against the lock' : '; its tools cannot be checked';
            accept('warning', `server '${server.name}' could not be reached: ${error}${known}`, {
                node: server, property: 'name', code: Codes.UnverifiedServer, data: { code: Codes.UnverifiedServer },
            });
            continue;
        }
        if (catalog.toolsOf(server.name)) {
            continue;
        }
        // Only worth saying when a step calls the server's own list (`SERVER.TOOL`), not a
        // declared tool bound `via SERVER` (the km catalog's tools carry their schemas).
        const prefix = `${server.name}.`;
        if (!steps.some((step) => step.tool?.$refText.startsWith(prefix) && !step.tool.ref)) {
            continue;
        }
        accept('info', `the tools of server '${server.name}' are not known: record them with 'kmflow lock', or check with 'kmflow check --live'`,
            { node: server, property: 'name', code: Codes.UnverifiedServer, data: { code: Codes.UnverifiedServer } });
    }
}

/**
 * Declarations (the bundled `km` catalog, the user's own) whose schemas differ from what
 * their server publishes (live or locked): the server's contract is what runs, so one
 * `schema-drift` info on the `server` line names them, never an error per step.
 */
export function checkDeclaredContracts(services: KmflowServices, doc: Document, accept: ValidationAcceptor): void {
    const catalog = services.tools.ServerTools;
    const index = services.tools.ToolIndex;
    const document = AstUtils.getDocument(doc);
    for (const server of doc.servers) {
        if (!server.name || !catalog.toolsOf(server.name)) {
            continue;
        }
        const differing = new Set<string>();
        for (const decl of index.visibleDecls(document, { everywhere: true })) {
            if (lastOf(decl.via)?.server !== server.name) {
                continue;
            }
            const declared = toToolDescriptor(services, decl);
            const served = catalog.find(server.name, declared.via!.tool);
            if (served && !sameJson(declared.inputSchema, served.inputSchema)) {
                differing.add(declared.id);
            }
        }
        if (differing.size > 0) {
            const names = [...differing].sort();
            accept('info', `server '${server.name}' publishes other schemas than declared for ${names.length} tool(s): ` +
                `${names.slice(0, 8).join(', ')}${names.length > 8 ? ', ...' : ''}; the server's own are used`, {
                node: server, property: 'name', code: Codes.SchemaDrift, data: { code: Codes.SchemaDrift, tools: names },
            });
        }
    }
}

/** Structural equality of two JSON values (key order ignored). */
function sameJson(a: unknown, b: unknown): boolean {
    if (a === b) {
        return true;
    }
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) {
        return false;
    }
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * A tool bound `via SERVER` where no file of the workspace declares `server SERVER`: one
 * info per server per document, on the first step that needs it.
 */
export function checkUnboundServers(services: KmflowServices, doc: Document, accept: ValidationAcceptor): void {
    const index = services.tools.ToolIndex;
    const declared = index.declaredServers();
    const reported = new Set<string>();
    // Steps of one declared tool share its server (ToolIndex.toolOf reads only the declaration then).
    const serverOfDecl = new Map<ToolDecl, string | undefined>();
    for (const wf of doc.workflows) {
        for (const step of wf.steps) {
            const decl = step.tool?.ref;
            let server: string | undefined;
            if (!decl) {
                server = index.toolOf(step)?.via?.server;
            } else if (serverOfDecl.has(decl)) {
                server = serverOfDecl.get(decl);
            } else {
                server = index.toolOf(step)?.via?.server;
                serverOfDecl.set(decl, server);
            }
            if (!server || server === 'builtin' || declared.has(server) || reported.has(server)) {
                continue;
            }
            reported.add(server);
            accept('info', `tools of server '${server}' are used but no file declares 'server ${server} { ... }'; ` +
                'declare it to run them', {
                node: step, property: 'tool', code: Codes.UnboundServer, data: { code: Codes.UnboundServer, name: server },
            });
        }
    }
}
