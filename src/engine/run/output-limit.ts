/**
 * The size limit of a step's output. Outputs live in memory, in the journal, the report
 * and the cache, and are JSON documents there: a 300 MB file read as a string took 2.2 GB
 * of memory and 1.2 GB under `.kmflow/`, and a 480 MB one broke the report ("Invalid
 * string length"). Each call's output (each item's, in a fan-out) may be at most
 * `RunOptions.maxOutputBytes` (default 16 MB; `kmflow run --max-output SIZE`, up to
 * 256 MB). Tools that read data refuse more before reading it (`file.read` by the
 * file's size, `http.request` by its body, an MCP server's answer by the message); the
 * engine checks every other output when the call returns. The error is
 * `output-too-large`, naming the size, the limit and how to raise it.
 */
import { ToolError } from '../tools/tool-error.js';

const MB = 1024 * 1024;

/** Default per-output limit. */
export const DEFAULT_MAX_OUTPUT_BYTES = 16 * MB;

/** The most `--max-output` may allow: past it, JSON documents of the run fail to build. */
export const MAX_OUTPUT_CEILING = 256 * MB;

/** `12 B`, `512 KB`, `16 MB`, `300.5 MB` (1 KB = 1024 B, 1 MB = 1024 KB). */
export function formatBytes(bytes: number): string {
    if (bytes < 1024) {
        return `${bytes} B`;
    }
    const [value, unit] = bytes < MB ? [bytes / 1024, 'KB'] : bytes < 1024 * MB ? [bytes / MB, 'MB'] : [bytes / (1024 * MB), 'GB'];
    return `${value.toFixed(1).replace(/\.0$/, '')} ${unit}`;
}

/** `64MB`, `512KB`, `1.5GB`, `100000` (bytes); undefined when it is none of those. */
export function parseSize(text: string): number | undefined {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|K|MB|M|GB|G)?\s*$/i.exec(text);
    if (!m) {
        return undefined;
    }
    const unit = (m[2] ?? 'B').toUpperCase()[0];
    const factor = unit === 'K' ? 1024 : unit === 'M' ? MB : unit === 'G' ? 1024 * MB : 1;
    return Math.round(Number(m[1]) * factor);
}

/** What to pass to `--max-output` for an output of `bytes`: the next power of two in MB. */
function suggestion(bytes: number): string {
    let mb = 1;
    while (mb * MB < bytes) {
        mb *= 2;
    }
    return `${mb}MB`;
}

/**
 * The `output-too-large` error of `what` (e.g. "file.read: 'big.bin'") of `bytes`
 * (`atLeast`: more than that, the rest unread) against `limit`.
 */
export function outputTooLarge(what: string, bytes: number, limit: number, atLeast = false): ToolError {
    const size = `${atLeast ? 'more than ' : ''}${formatBytes(bytes)}`;
    const raise = bytes > MAX_OUTPUT_CEILING
        ? `the limit goes up to ${formatBytes(MAX_OUTPUT_CEILING)} at most: have the tool write its data to a file and pass the path on`
        : `raise it with \`kmflow run --max-output ${suggestion(bytes)}\` (RunOptions.maxOutputBytes)`;
    return new ToolError('output-too-large', `${what} is ${size}, over the limit of ${formatBytes(limit)} per step output; ${raise}`, {
        retryable: false,
    });
}

/**
 * About how many bytes `value` takes as JSON (strings by their UTF-8 length, escapes
 * not counted). An object met twice counts once, so a circular value ends.
 */
export function jsonSize(value: unknown): number {
    if (value === null || typeof value !== 'object') {
        return typeof value === 'string' ? stringSize(value) : 8;
    }
    let size = 0;
    const seen = new WeakSet<object>();
    const stack: unknown[] = [value];
    while (stack.length > 0) {
        const v = stack.pop();
        if (typeof v === 'string') {
            size += stringSize(v);
        } else if (v === null || typeof v !== 'object') {
            size += 8;
        } else if (!seen.has(v)) {
            seen.add(v);
            if (Array.isArray(v)) {
                size += 2 + v.length;
                for (const item of v) {
                    stack.push(item);
                }
            } else {
                size += 2;
                for (const [key, item] of Object.entries(v)) {
                    size += key.length + 4;
                    stack.push(item);
                }
            }
        }
    }
    return size;
}

function stringSize(s: string): number {
    // Counting UTF-8 bytes is a native pass; only worth it where it can matter.
    return (s.length > 1024 ? Buffer.byteLength(s) : s.length) + 2;
}
