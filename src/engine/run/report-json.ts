/**
 * A run report as JSON text, even when some output cannot be part of it: V8 caps a
 * string near 512 MB ("Invalid string length"), and a run whose outputs added up to
 * more ended without any report although it succeeded; a circular or BigInt output
 * cannot be JSON at all. Then each such output is left out (replaced by a note saying
 * why) and the rest of the report stands.
 */
import type { RunReport, StepReport } from './run-types.js';

/** What stands in for an output too large to be part of the document. */
export const OUTPUT_TOO_LARGE = '[output left out: too large for this JSON document]';
/** What stands in for an output that is no JSON value (circular, BigInt). */
export const OUTPUT_NOT_JSON = '[output left out: not expressible as JSON]';

function slimStep(step: StepReport, allTooLarge: boolean): StepReport {
    if (step.output === null || step.output === undefined) {
        return step;
    }
    if (!allTooLarge) {
        try {
            JSON.stringify(step.output);
            return step;
        } catch (err) {
            return { ...step, output: err instanceof RangeError ? OUTPUT_TOO_LARGE : OUTPUT_NOT_JSON };
        }
    }
    return { ...step, output: OUTPUT_TOO_LARGE };
}

/** `JSON.stringify(value, null, indent)` of a report, or of several (`{reports: [...]}`). */
export function reportJson(value: RunReport | { reports: RunReport[] }, indent?: number): string {
    try {
        return JSON.stringify(value, null, indent);
    } catch {
        // Outputs that fail on their own are left out; if each is fine alone, together
        // they are too large: all are left out.
    }
    const slim = (r: RunReport, all: boolean): RunReport => ({ ...r, steps: r.steps.map((s) => slimStep(s, all)) });
    const reports = 'reports' in value ? value.reports : [value];
    const wrap = (list: RunReport[]): RunReport | { reports: RunReport[] } => ('reports' in value ? { reports: list } : list[0]!);
    try {
        return JSON.stringify(wrap(reports.map((r) => slim(r, false))), null, indent);
    } catch {
        return JSON.stringify(wrap(reports.map((r) => slim(r, true))), null, indent);
    }
}
