/**
 * The JSON of the usual `step-finished` record (no skip by `when`, no fan-out, no secret,
 * no error), written directly: exactly `JSON.stringify` of the record literal with the
 * same members in the same order, without building the object and walking it. Every
 * step of a run has one; a generic stringify of each cost a 10k-step run ~1 µs a step.
 */
import type { StepStatus } from '../../run/run-types.js';

/**
 * The record's JSON, or undefined when the output has none (a function, a symbol: the
 * caller's generic path writes the record without it). Throws what `JSON.stringify`
 * throws on the output (circular, BigInt), for the caller's generic path to handle.
 */
export function usualFinishedJson(stepId: string, status: StepStatus, attempts: number, cached: boolean, output: unknown, at: string): string | undefined {
    const outputJson = JSON.stringify(output);
    if (outputJson === undefined) {
        return undefined;
    }
    return `{"type":"step-finished","stepId":${JSON.stringify(stepId)},"status":"${status}","attempts":${JSON.stringify(attempts)},` +
        `"cached":${cached ? 'true' : 'false'},"output":${outputJson},"at":${JSON.stringify(at)}}`;
}
