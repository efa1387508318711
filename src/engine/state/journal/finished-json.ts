/**
 * The JSON of the usual `step-finished` record (no skip by `when`, no fan-out, no secret,
 * no error), written directly: exactly `JSON.stringify` of the record literal with the
 * same members in the same order, without building the object and walking it. Every
 * step of a run has one; a generic stringify of each cost a 10k-step run ~1 µs a step,
 * and so did four `JSON.stringify` calls of its parts (a call costs ~0.1-0.2 µs before
 * V8 optimises the caller): the usual parts (an id or a time of printable ASCII without
 * `"` or `\`, a count, an output of `true`, `null` or a number) are written as they are.
 */
import type { StepStatus } from '../../run/run-types.js';

/** Printable ASCII but `"` and `\`: the characters JSON writes as they are. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** The JSON of a string: quoted as it is when nothing in it needs an escape. */
export function jsonString(text: string): string {
    return PLAIN.test(text) ? `"${text}"` : JSON.stringify(text);
}

/** The JSON of an output; undefined when JSON has none for it (see `usualFinishedJson`). */
function outputJson(output: unknown): string | undefined {
    if (output === true) {
        return 'true';
    }
    if (output === null) {
        return 'null';
    }
    if (typeof output === 'number' && Number.isFinite(output)) {
        // A finite number's JSON is its String (-0 included: both say 0).
        return String(output);
    }
    return JSON.stringify(output);
}

/**
 * The record's JSON, or undefined when the output has none (a function, a symbol: the
 * caller's generic path writes the record without it). Throws what `JSON.stringify`
 * throws on the output (circular, BigInt), for the caller's generic path to handle.
 */
export function usualFinishedJson(stepId: string, status: StepStatus, attempts: number, cached: boolean, output: unknown, at: string): string | undefined {
    const out = outputJson(output);
    if (out === undefined) {
        return undefined;
    }
    const count = Number.isFinite(attempts) ? String(attempts) : 'null';
    return `{"type":"step-finished","stepId":${jsonString(stepId)},"status":"${status}","attempts":${count},` +
        `"cached":${cached ? 'true' : 'false'},"output":${out},"at":${jsonString(at)}}`;
}
