/**
 * The servers the root's own `.kmflow` files declare, read once when `kmflow mcp`
 * starts: these (and the granted names) are the only servers the face starts.
 *
 * Read at start, not at each call, because a caller's workflow may write files in the
 * root (`file.write`): a `server` it wrote there must not become trusted on the next
 * call. A server is trusted when its name and its launch (command, args, env, cwd, url,
 * headers) are one the root declared at start; the operator restarts the face to trust
 * an edit.
 */
import type { ServerSpec } from '../engine/model/index.js';
import { isDocument, type Document } from '../language/generated/ast.js';
import { Workspace } from '../app/index.js';
import { toServerSpec } from '../language/to-server-spec.js';

/** Server name → the launches the root declares for it. */
export type RootServers = ReadonlyMap<string, ReadonlySet<string>>;

/** What starts the server, as one comparable string (its location and timeout aside). */
export function launchOf(spec: ServerSpec): string {
    return JSON.stringify([spec.command ?? null, spec.args ?? [], sorted(spec.env), spec.cwd ?? null, spec.url ?? null, sorted(spec.headers)]);
}

function sorted(record: Record<string, string> | undefined): Array<[string, string]> {
    return Object.entries(record ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Every server declaration of the root's `.kmflow` files (and what they import). */
export async function readRootServers(root: string): Promise<RootServers> {
    const workspace = Workspace.open({ root });
    const Kmflow = workspace.services;
    await workspace.load({});
    const found = new Map<string, Set<string>>();
    for (const doc of Kmflow.shared.workspace.LangiumDocuments.all) {
        const ast = doc.parseResult.value;
        for (const server of isDocument(ast) ? (ast as Document).servers : []) {
            if (server.name) {
                const launches = found.get(server.name) ?? new Set<string>();
                launches.add(launchOf(toServerSpec(Kmflow, server)));
                found.set(server.name, launches);
            }
        }
    }
    return found;
}

/** Whether the root declared exactly this server when the face started. */
export function declaredByRoot(servers: RootServers, spec: ServerSpec): boolean {
    return servers.get(spec.name)?.has(launchOf(spec)) ?? false;
}
