/**
 * A checksum on every journal line, so a damaged record is found (and named by its
 * line) instead of being read as something else or ending the read early.
 *
 * A sealed line is still one JSON object: `{"sum":"<16 hex>",` followed by the record's
 * own JSON without its opening brace. The sum is the first 64 bits of the SHA-256 of
 * the record's JSON (`JSON.stringify(record)`, exactly the bytes after the prefix with
 * `{` put back), so checking it needs no re-serialisation.
 */
import { sha256 } from '../cache/canonical.js';

const PREFIX = '{"sum":"';
const SUM_LENGTH = 16;
const HEX = /^[0-9a-f]{16}$/;

/** The journal line of a record's JSON (`JSON.stringify` of a non-empty object). */
export function sealLine(json: string): string {
    return `${PREFIX}${sha256(json).slice(0, SUM_LENGTH)}",${json.slice(1)}`;
}

/** Whether `line` carries a seal (well or badly). */
export function isSealed(line: string): boolean {
    return line.startsWith(PREFIX);
}

/**
 * What a line holds: the record, or why it cannot be trusted (with what it parsed to,
 * when it is JSON without a seal: the reader may say better what it is).
 */
export type UnsealedLine = { ok: true; record: unknown } | { ok: false; reason: string; parsed?: unknown };

function parse(json: string): { value: unknown } | undefined {
    try {
        return { value: JSON.parse(json) as unknown };
    } catch {
        return undefined;
    }
}

/**
 * The record of a sealed line, checked against its sum; of an unsealed line (a journal
 * from before seals, `sealed` false), the line parsed as it is.
 */
export function unsealLine(line: string, sealed: boolean): UnsealedLine {
    if (line.includes('\u0000')) {
        return { ok: false, reason: 'NUL bytes' };
    }
    let json = line;
    if (sealed) {
        const sum = line.slice(PREFIX.length, PREFIX.length + SUM_LENGTH);
        const rest = line.slice(PREFIX.length + SUM_LENGTH);
        if (!isSealed(line) || !HEX.test(sum) || !rest.startsWith('",')) {
            const parsed = parse(line);
            return parsed ? { ok: false, reason: 'no checksum', parsed: parsed.value } : { ok: false, reason: 'not JSON' };
        }
        json = `{${rest.slice(2)}`;
        if (sha256(json).slice(0, SUM_LENGTH) !== sum) {
            return { ok: false, reason: 'checksum mismatch' };
        }
    }
    const parsed = parse(json);
    return parsed ? { ok: true, record: parsed.value } : { ok: false, reason: 'not JSON' };
}
