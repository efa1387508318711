/**
 * Generated kmflow text that remembers where each part of a JSON document went: a
 * writer records the text range of every JSON path it writes, and a diagnostic's
 * range maps back to the innermost path that holds it.
 */

/** `[start, end)` offsets in the generated text, and the JSON path written there. */
export interface PathRange {
    start: number;
    end: number;
    path: string;
}

export class SourceMapWriter {
    private text = '';
    readonly ranges: PathRange[] = [];

    write(text: string): this {
        this.text += text;
        return this;
    }

    /** Writes whatever `body` writes, as the text of `path`. */
    mapped(path: string, body: () => void): this {
        const start = this.text.length;
        body();
        this.ranges.push({ start, end: this.text.length, path });
        return this;
    }

    /** Writes `text` as the text of `path`. */
    writeMapped(path: string, text: string): this {
        return this.mapped(path, () => this.write(text));
    }

    toString(): string {
        return this.text;
    }
}

/**
 * The innermost path whose range holds `[start, end)`: the shortest range containing
 * all of it, else the shortest containing its start, else `fallback`.
 */
export function pathAt(ranges: readonly PathRange[], start: number, end: number, fallback = '$'): string {
    const shortest = (fits: (r: PathRange) => boolean): PathRange | undefined => {
        let best: PathRange | undefined;
        for (const r of ranges) {
            if (fits(r) && (!best || r.end - r.start < best.end - best.start)) {
                best = r;
            }
        }
        return best;
    };
    const found = shortest((r) => r.start <= start && end <= Math.max(r.end, r.start + 1))
        ?? shortest((r) => r.start <= start && start < Math.max(r.end, r.start + 1));
    return found?.path ?? fallback;
}
