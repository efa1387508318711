/**
 * Keeps the language server's knowledge of MCP servers' tools current: the workspace's
 * schema lock at start-up, then each declared server's live `tools/list` in the
 * background whenever the server declarations change, re-validating when answers come.
 * Stdio servers are started only in a trusted workspace (the client says so in
 * `initializationOptions.trusted`); plain LSP editors have no trust and count as trusted.
 */
import { DocumentState, URI } from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';
import type { KmflowServices } from './kmflow-module.js';
import { declaredServers } from './prepare-run.js';
import { isCatalogUri } from './catalogs.js';

export interface LiveServerOptions {
    /** Whether stdio servers may be started to list their tools. */
    trusted?: boolean;
    /** Turn live listing off altogether (lock only). */
    liveServers?: boolean;
    timeoutMs?: number;
}

export function startLiveServerTools(shared: LangiumSharedServices, services: KmflowServices): void {
    let options: LiveServerOptions = {};
    let root: string | undefined;
    let lastKey = '';
    let running = false;
    const catalog = services.tools.ServerTools;

    shared.lsp.LanguageServer.onInitialize((params) => {
        options = (params.initializationOptions ?? {}) as LiveServerOptions;
        const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
        root = folder ? URI.parse(folder).fsPath : undefined;
    });

    const revalidate = async (): Promise<void> => {
        const uris = shared.workspace.LangiumDocuments.all.map((d) => d.uri).filter((u) => !isCatalogUri(u)).toArray();
        await shared.workspace.DocumentBuilder.update(uris, []);
    };

    shared.workspace.DocumentBuilder.onBuildPhase(DocumentState.Validated, () => {
        if (running) {
            return;
        }
        const servers = declaredServers(services)
            .filter((s) => s.url !== undefined || options.trusted !== false);
        const key = JSON.stringify(servers.map(({ location: _location, ...s }) => s));
        if (key === lastKey) {
            return;
        }
        lastKey = key;
        running = true;
        void (async () => {
            try {
                if (root) {
                    await catalog.loadLock(root);
                }
                if (options.liveServers !== false) {
                    await catalog.fetchLive(servers, { root, timeoutMs: options.timeoutMs });
                }
                await revalidate();
            } catch (err) {
                shared.lsp.Connection?.console.error(`kmflow: listing server tools failed: ${String(err)}`);
            } finally {
                running = false;
            }
        })();
    });
}
