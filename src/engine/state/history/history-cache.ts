/**
 * Measured histories held in memory for long-lived readers (the language server, the
 * editor's graph): a root's history is read once, then again only when its file
 * changed (size or modification time), which `peek` looks at no more often than every
 * `intervalMs`, in the background: a reader that must not wait (an editor request) is
 * answered with what is loaded, and told by `onChange` when a newer history arrived.
 */
import * as fs from 'node:fs/promises';
import { historyFile } from './store.js';
import { loadHistory } from './summary.js';
import type { History } from './types.js';

export interface HistoryCacheOptions {
    /** How often `peek` looks at the file at most; default 2 s. */
    intervalMs?: number;
    /** Called when a root's history was (re)loaded from a file that changed. */
    onChange?: (root: string, history: History) => void;
    /** The clock, for tests. */
    now?: () => number;
}

interface Entry {
    history?: History;
    /** `size:mtime` of the file when read, `none` when there was none. */
    stamp?: string;
    checkedAt: number;
    pending?: Promise<History>;
}

export class HistoryCache {
    private readonly entries = new Map<string, Entry>();
    private readonly intervalMs: number;
    private readonly now: () => number;

    constructor(private readonly options: HistoryCacheOptions = {}) {
        this.intervalMs = options.intervalMs ?? 2000;
        this.now = options.now ?? Date.now;
    }

    /** What is loaded for `root` now (undefined until the first read ends); never waits, looks again when due. */
    peek(root: string): History | undefined {
        const entry = this.entry(root);
        if (!entry.pending && (entry.history === undefined || this.now() - entry.checkedAt >= this.intervalMs)) {
            void this.refresh(root, entry).catch(() => undefined);
        }
        return entry.history;
    }

    /** The history of `root`, read again first when its file changed. */
    get(root: string): Promise<History> {
        return this.refresh(root, this.entry(root));
    }

    private entry(root: string): Entry {
        let entry = this.entries.get(root);
        if (!entry) {
            entry = { checkedAt: -Infinity };
            this.entries.set(root, entry);
        }
        return entry;
    }

    private refresh(root: string, entry: Entry): Promise<History> {
        entry.pending ??= this.reload(root, entry).finally(() => {
            entry.pending = undefined;
            entry.checkedAt = this.now();
        });
        return entry.pending;
    }

    private async reload(root: string, entry: Entry): Promise<History> {
        const stamp = await stampOf(historyFile(root));
        if (entry.history && stamp === entry.stamp) {
            return entry.history;
        }
        const first = entry.stamp === undefined;
        const history = await loadHistory(root);
        entry.history = history;
        entry.stamp = stamp;
        // A first read that found no file changes nothing a reader showed without it.
        if (!(first && stamp === 'none')) {
            this.options.onChange?.(root, history);
        }
        return history;
    }
}

async function stampOf(file: string): Promise<string> {
    try {
        const s = await fs.stat(file);
        return `${s.size}:${s.mtimeMs}`;
    } catch {
        return 'none';
    }
}
