/**
 * Keeps the language server's knowledge of MCP servers' tools current: the workspace's
 * schema lock at start-up, then each declared server's live `tools/list` in the
 * background whenever the server declarations change, re-validating when answers come.
 *
 * Listing a server is running the workspace's code (a stdio `command`) or reaching out
 * to a network (a `url`), so it needs trust, and trust is denied by default: only a
 * client that says `initializationOptions.trusted === true` (the VS Code extension in a
 * trusted workspace), or `kmflow lsp --stdio --trusted` with a client that does not say
 * `false`, grants it. Untrusted, the server reads the schema lock only and puts a hint on
 * each `server` it did not start or contact, so users know why its tools are not live.
 */
import { DocumentState, URI, type ValidationAcceptor, type ValidationChecks } from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';
import type { ServerSpec } from '../engine/model/index.js';
import type { KmflowAstType, Server } from './generated/ast.js';
import type { KmflowServices } from './kmflow-module.js';
import { Codes } from './diagnostic-codes.js';
import { declaredServers } from './prepare-run.js';
import { isCatalogUri } from './catalogs.js';
import { lastOf } from './ast-options.js';

/** What the language server may do to list servers' tools: start processes, reach networks. */
export interface Trust {
    /** Start a stdio server's `command`. */
    readonly spawn: boolean;
    /** Connect to an HTTP server's `url`. */
    readonly network: boolean;
}

export const UNTRUSTED: Trust = Object.freeze({ spawn: false, network: false });
export const TRUSTED: Trust = Object.freeze({ spawn: true, network: true });

export interface LiveServerOptions {
    /** `true` grants trust; `false` denies it even when the command line granted it. */
    trusted?: boolean;
    /** Turn live listing off altogether (lock only). */
    liveServers?: boolean;
    timeoutMs?: number;
}

/**
 * The trust of a session: the client's word when it gives one (`trusted: true` or
 * `false`), else what the command line granted (`--trusted`), else none.
 */
export function resolveTrust(initializationOptions: unknown, granted: Trust = UNTRUSTED): Trust {
    const said = (initializationOptions as LiveServerOptions | null | undefined)?.trusted;
    return said === true ? TRUSTED : said === false ? UNTRUSTED : granted;
}

/** What listing a server would do, as the engine opens it (a `command` wins over a `url`). */
function reachOf(server: { command?: string; url?: string }): 'spawn' | 'network' | undefined {
    return server.command ? 'spawn' : server.url ? 'network' : undefined;
}

/** Whether `trust` allows listing `server`; one with neither command nor url reaches nothing. */
export function mayList(server: { command?: string; url?: string }, trust: Trust): boolean {
    const reach = reachOf(server);
    return reach === undefined || trust[reach];
}

export function startLiveServerTools(shared: LangiumSharedServices, services: KmflowServices, granted: Trust = UNTRUSTED): void {
    let options: LiveServerOptions = {};
    let trust: Trust = UNTRUSTED;
    let root: string | undefined;
    let lastKey = '';
    let running = false;
    let told = false;
    const catalog = services.tools.ServerTools;

    shared.lsp.LanguageServer.onInitialize((params) => {
        options = (params.initializationOptions ?? {}) as LiveServerOptions;
        trust = resolveTrust(params.initializationOptions, granted);
        const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
        root = folder ? URI.parse(folder).fsPath : undefined;
    });

    // Untrusted: a hint on each server that is not started or contacted, saying why.
    const checks: ValidationChecks<KmflowAstType> = {
        Server: (server: Server, accept: ValidationAcceptor) => {
            const transport = { command: lastOf(server.command), url: lastOf(server.url) };
            const reach = reachOf(transport);
            if (!server.name || options.liveServers === false || mayList(transport, trust) || !reach) {
                return;
            }
            accept('hint', `live tool listing is off: the workspace is not trusted, so server '${server.name}' is not ` +
                `${reach === 'spawn' ? 'started' : 'contacted'}; its tools come from .kmflow/schemas.lock.json only`,
            { node: server, property: 'name', code: Codes.UnverifiedServer, data: { code: Codes.UnverifiedServer } });
        },
    };
    services.validation.ValidationRegistry.register(checks, undefined, 'fast');

    // Under the workspace lock, as every build: a build beside another (an opened document's)
    // leaves the builder's state ahead of that document's, and requests on it fail.
    const revalidate = (): Promise<void> => shared.workspace.WorkspaceLock.write((cancel) => {
        const uris = shared.workspace.LangiumDocuments.all.map((d) => d.uri).filter((u) => !isCatalogUri(u)).toArray();
        return shared.workspace.DocumentBuilder.update(uris, [], cancel);
    });

    const tellDenied = (denied: ServerSpec[]): void => {
        if (told || denied.length === 0 || options.liveServers === false) {
            return;
        }
        told = true;
        shared.lsp.Connection?.console.info(`kmflow: the workspace is not trusted, so the tools of ${denied.map((s) => `'${s.name}'`).join(', ')} ` +
            'come from .kmflow/schemas.lock.json only; no server is started or contacted (trust the workspace, or run `kmflow lsp --stdio --trusted`)');
    };

    shared.workspace.DocumentBuilder.onBuildPhase(DocumentState.Validated, () => {
        if (running) {
            return;
        }
        const declared = declaredServers(services);
        const servers = declared.filter((s) => mayList(s, trust));
        tellDenied(declared.filter((s) => !mayList(s, trust)));
        // Any change of the declarations re-reads the lock, listed live or not.
        const key = JSON.stringify(declared.map(({ location: _location, ...s }) => s));
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
                if (options.liveServers !== false && servers.length > 0) {
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
