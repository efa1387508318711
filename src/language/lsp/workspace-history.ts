/**
 * The measured history (`.kmflow/metrics`) of the workspace folder that holds a
 * document, for the editor's timings (inlay hints, the critical-path lens). A request
 * never waits for it: it gets what is loaded (nothing at first), and when a newer
 * history arrives (the first read, a run recorded by the extension or `kmflow run`) the
 * server asks the client to refresh its inlay hints and code lenses. The file is looked
 * at (a `stat`) at most every two seconds, when a request asks.
 */
import type { LangiumSharedServices } from 'langium/lsp';
import { URI } from 'langium';
import { HistoryCache } from '../../engine/state/index.js';
import type { History } from '../../engine/state/index.js';

export class WorkspaceHistory {
    protected readonly shared: LangiumSharedServices;
    protected readonly cache: HistoryCache;

    constructor(shared: LangiumSharedServices) {
        this.shared = shared;
        this.cache = new HistoryCache({ intervalMs: 2000, onChange: () => this.refreshClient() });
    }

    /** The history of the folder holding `uri` as loaded now; undefined before it is, or outside a folder. */
    of(uri: URI): History | undefined {
        const root = this.rootOf(uri);
        return root === undefined ? undefined : this.cache.peek(root);
    }

    /** The file-system path of the innermost workspace folder holding `uri`. */
    protected rootOf(uri: URI): string | undefined {
        if (uri.scheme !== 'file') {
            return undefined;
        }
        let best: URI | undefined;
        for (const folder of this.shared.workspace.WorkspaceManager.workspaceFolders ?? []) {
            const root = URI.parse(folder.uri);
            const prefix = root.path.endsWith('/') ? root.path : `${root.path}/`;
            if (root.scheme === 'file' && uri.path.startsWith(prefix) && (!best || root.path.length > best.path.length)) {
                best = root;
            }
        }
        return best?.fsPath;
    }

    protected refreshClient(): void {
        // Not every client supports refresh requests: a refusal is no error here.
        for (const method of ['workspace/inlayHint/refresh', 'workspace/codeLens/refresh']) {
            this.shared.lsp.Connection?.sendRequest(method).catch(() => undefined);
        }
    }
}
