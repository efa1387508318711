/**
 * The persistent cache of `cache intelligent|predictive`: one JSON file per entry
 * under `ROOT/.kmflow/cache/entries/`, and `index.json` with each entry's size and
 * last use, for LRU eviction under a size cap (default 50 MB).
 *
 * Small results (up to INLINE_BYTES of JSON, within an INLINE_BUDGET in all) live in
 * the index itself: the index is read once per run, so such a hit costs no file read
 * at all (a rerun of a thousand small cached steps went from 13 ms of reads to none).
 * Larger ones get their own file, read synchronously on a hit.
 *
 * Every write goes to a temporary file renamed into place, so a killed process or a
 * second kmflow on the same root never leaves a torn file. Two processes flushing the
 * index at once may lose each other's index updates: an inline entry lost that way is
 * a later cache miss, a file entry's last use only makes eviction less exact.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeDirSync } from '../../tools/make-dir.js';

/** Default size cap of the cache folder's entries. */
export const DEFAULT_CACHE_BYTES = 50 * 1024 * 1024;
/** Results up to this size (JSON) are kept in the index itself. */
const INLINE_BYTES = 1024;
/** At most this much inline data, so the index stays quick to read. */
const INLINE_BUDGET = 4 * 1024 * 1024;
/**
 * Last-use times closer than this are not worth rewriting the index for: a rerun
 * within a minute reads the index and writes nothing, and LRU order at minute
 * resolution is plenty for eviction.
 */
const TOUCH_MS = 60_000;

interface IndexEntry {
    size: number;
    lastUsed: number;
    tool: string;
    /** The output itself, for small entries (no entry file). */
    inline?: unknown;
}

interface IndexFile {
    version: 1;
    entries: Record<string, IndexEntry>;
}

export class DiskStore {
    private index: Map<string, IndexEntry> | undefined;
    private total = 0;
    private inlineBytes = 0;
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
        const index = this.load();
        const known = index.get(key);
        if (known && 'inline' in known) {
            this.touch(known);
            return { output: known.inline ?? null };
        }
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
        if (known) {
            this.touch(known);
        } else {
            index.set(key, { size: Buffer.byteLength(text), lastUsed: this.now(), tool: '?' });
            this.total += Buffer.byteLength(text);
            this.dirty = true;
        }
        return { output: parsed.output ?? null };
    }

    /** Whether `key` is stored, without touching its last use. */
    has(key: string): boolean {
        const entry = this.load().get(key);
        return (entry !== undefined && 'inline' in entry) || fs.existsSync(this.file(key));
    }

    /** Stores an output; entries larger than the whole cap are not stored. */
    put(key: string, tool: string, output: unknown): void {
        const index = this.load();
        const small = JSON.stringify(output) ?? 'null';
        if (small.length <= INLINE_BYTES && this.inlineBytes + small.length <= INLINE_BUDGET) {
            const old = index.get(key);
            if (old && !('inline' in old)) {
                fs.rmSync(this.file(key), { force: true });
            }
            this.forget(key, old);
            index.set(key, { size: small.length, lastUsed: this.now(), tool, inline: output });
            this.total += small.length;
            this.inlineBytes += small.length;
            this.dirty = true;
            this.evict();
            return;
        }
        const text = JSON.stringify({ tool, storedAt: new Date(this.now()).toISOString(), output });
        const size = Buffer.byteLength(text);
        if (size > this.maxBytes) {
            return;
        }
        makeDirSync(this.entries);
        const file = this.file(key);
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, text);
        fs.renameSync(tmp, file);
        this.forget(key, index.get(key));
        this.total += size;
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
        makeDirSync(this.dir);
        const file = path.join(this.dir, 'index.json');
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, JSON.stringify(doc));
        fs.renameSync(tmp, file);
        this.dirty = false;
    }

    private touch(entry: IndexEntry): void {
        const now = this.now();
        if (now - entry.lastUsed >= TOUCH_MS) {
            entry.lastUsed = now;
            this.dirty = true;
        }
    }

    /** Takes an entry's bytes off the totals (before it is replaced or evicted). */
    private forget(key: string, entry: IndexEntry | undefined): void {
        if (!entry) {
            return;
        }
        this.total -= entry.size;
        if ('inline' in entry) {
            this.inlineBytes -= entry.size;
        }
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
                if (key.length === 64 && typeof entry?.size === 'number') {
                    index.set(key, entry);
                }
            }
        } catch {
            // No index yet (or a damaged one): start afresh; entry files stay usable.
        }
        this.total = 0;
        this.inlineBytes = 0;
        for (const e of index.values()) {
            this.total += e.size;
            if ('inline' in e) {
                this.inlineBytes += e.size;
            }
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
            if (!('inline' in entry)) {
                fs.rmSync(this.file(key), { force: true });
            }
            index.delete(key);
            this.forget(key, entry);
        }
    }
}
