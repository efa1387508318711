/**
 * The persistent cache of `cache intelligent|predictive`: one JSON file per entry
 * under `ROOT/.kmflow/cache/entries/`, and `index.json` with each entry's size and
 * last use, for LRU eviction under a size cap (default 50 MB).
 *
 * Entry files are the truth; the index only orders evictions. Files are small and
 * read synchronously (a hit costs one readFileSync, no promise), writes go to a
 * temporary file renamed into place, so a killed process or a second kmflow on the
 * same root never leaves a torn entry. Concurrent processes may lose each other's
 * last-use times, which only makes eviction slightly less exact.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Default size cap of the cache folder's entries. */
export const DEFAULT_CACHE_BYTES = 50 * 1024 * 1024;

interface IndexEntry {
    size: number;
    lastUsed: number;
    tool: string;
}

interface IndexFile {
    version: 1;
    entries: Record<string, IndexEntry>;
}

export class DiskStore {
    private index: Map<string, IndexEntry> | undefined;
    private total = 0;
    private dirty = false;
    private readonly entries: string;

    constructor(
        readonly dir: string,
        private readonly maxBytes = DEFAULT_CACHE_BYTES,
        private readonly now: () => number = Date.now,
    ) {
        this.entries = path.join(dir, 'entries');
    }

    /** The stored output for `key`, or undefined. */
    get(key: string): { output: unknown } | undefined {
        let text: string;
        try {
            text = fs.readFileSync(this.file(key), 'utf8');
        } catch {
            return undefined;
        }
        let parsed: { output?: unknown };
        try {
            parsed = JSON.parse(text) as { output?: unknown };
        } catch {
            return undefined; // A damaged entry is a miss; the next store replaces it.
        }
        const index = this.load();
        const entry = index.get(key);
        if (entry) {
            entry.lastUsed = this.now();
        } else {
            index.set(key, { size: Buffer.byteLength(text), lastUsed: this.now(), tool: '?' });
            this.total += Buffer.byteLength(text);
        }
        this.dirty = true;
        return { output: parsed.output ?? null };
    }

    /** Whether `key` is stored, without touching its last use. */
    has(key: string): boolean {
        return fs.existsSync(this.file(key));
    }

    /** Stores an output; entries larger than the whole cap are not stored. */
    put(key: string, tool: string, output: unknown): void {
        const text = JSON.stringify({ tool, storedAt: new Date(this.now()).toISOString(), output });
        const size = Buffer.byteLength(text);
        if (size > this.maxBytes) {
            return;
        }
        fs.mkdirSync(this.entries, { recursive: true });
        const file = this.file(key);
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, text);
        fs.renameSync(tmp, file);
        const index = this.load();
        const old = index.get(key);
        this.total += size - (old?.size ?? 0);
        index.set(key, { size, lastUsed: this.now(), tool });
        this.dirty = true;
        this.evict();
    }

    /** Bytes held by the entries the index knows. */
    get bytes(): number {
        this.load();
        return this.total;
    }

    /** Writes the index (at the end of a run; cheap when nothing changed). */
    flush(): void {
        if (!this.dirty || !this.index) {
            return;
        }
        const doc: IndexFile = { version: 1, entries: Object.fromEntries(this.index) };
        fs.mkdirSync(this.dir, { recursive: true });
        const file = path.join(this.dir, 'index.json');
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, JSON.stringify(doc));
        fs.renameSync(tmp, file);
        this.dirty = false;
    }

    private file(key: string): string {
        return path.join(this.entries, `${key}.json`);
    }

    private load(): Map<string, IndexEntry> {
        if (this.index) {
            return this.index;
        }
        const index = new Map<string, IndexEntry>();
        try {
            const doc = JSON.parse(fs.readFileSync(path.join(this.dir, 'index.json'), 'utf8')) as IndexFile;
            for (const [key, entry] of Object.entries(doc.entries ?? {})) {
                if (/^[0-9a-f]{64}$/.test(key) && typeof entry?.size === 'number') {
                    index.set(key, entry);
                }
            }
        } catch {
            // No index yet (or a damaged one): start afresh; entry files stay usable.
        }
        this.total = 0;
        for (const e of index.values()) {
            this.total += e.size;
        }
        this.index = index;
        return index;
    }

    /** Least recently used first, until the entries fit the cap. */
    private evict(): void {
        if (this.total <= this.maxBytes) {
            return;
        }
        const index = this.load();
        const byAge = [...index.entries()].sort((a, b) => a[1].lastUsed - b[1].lastUsed);
        for (const [key, entry] of byAge) {
            if (this.total <= this.maxBytes) {
                break;
            }
            fs.rmSync(this.file(key), { force: true });
            index.delete(key);
            this.total -= entry.size;
        }
    }
}
