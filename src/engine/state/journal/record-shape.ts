/**
 * Whether a parsed journal line has the shape of its record type (`records.ts`): a
 * line that parses but is `null`, a list, of an unknown type or with a field of the
 * wrong type is a damaged record, not something to act on.
 */
import type { JournalRecord } from './records.js';

const STEP_STATUSES = new Set(['succeeded', 'failed', 'skipped', 'cancelled', 'compensated']);

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optional(value: unknown, type: 'string' | 'number' | 'boolean' | 'object'): boolean {
    return value === undefined || (type === 'object' ? isObject(value) : typeof value === type);
}

/** What is wrong with the run header `r`, or undefined. */
function headerProblem(r: Record<string, unknown>): string | undefined {
    for (const field of ['runId', 'workflow', 'specHash', 'startedAt'] as const) {
        if (typeof r[field] !== 'string') {
            return `its '${field}' is not a string`;
        }
    }
    if (typeof r.version !== 'number') {
        return "its 'version' is not a number";
    }
    for (const field of ['inputs', 'stepHashes', 'settings'] as const) {
        if (!isObject(r[field])) {
            return `its '${field}' is not an object`;
        }
    }
    if (!Object.values(r.stepHashes as object).every((h) => typeof h === 'string')) {
        return "its 'stepHashes' are not all strings";
    }
    return optional(r.resumedFrom, 'string') ? undefined : "its 'resumedFrom' is not a string";
}

/** What is wrong with `value` as a journal record, or undefined when it is one. */
export function recordProblem(value: unknown): string | undefined {
    if (!isObject(value)) {
        return `not a journal record (${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value})`;
    }
    const r = value;
    switch (r.type) {
        case 'run': {
            const problem = headerProblem(r);
            return problem && `a run header, but ${problem}`;
        }
        case 'step-started':
            return typeof r.stepId === 'string' && typeof r.at === 'string' ? undefined : 'a step-started record without stepId or time';
        case 'step-finished':
            if (typeof r.stepId !== 'string' || typeof r.status !== 'string' || !STEP_STATUSES.has(r.status)) {
                return 'a step-finished record without stepId or a valid status';
            }
            if (typeof r.attempts !== 'number' || typeof r.cached !== 'boolean' || !('output' in r)) {
                return `the step-finished record of '${r.stepId}' lacks attempts, cached or output`;
            }
            if (!optional(r.items, 'number') || !optional(r.skippedByWhen, 'boolean') || !optional(r.secret, 'boolean') || !optional(r.unjournaled, 'boolean') || !optional(r.error, 'object')) {
                return `the step-finished record of '${r.stepId}' has a field of the wrong type`;
            }
            return undefined;
        case 'step-compensated':
            return typeof r.stepId === 'string' && typeof r.ok === 'boolean' ? undefined : 'a step-compensated record without stepId or ok';
        case 'run-finished':
            return typeof r.status === 'string' ? undefined : 'a run-finished record without status';
        default:
            return `not a journal record (type ${JSON.stringify(r.type) ?? 'missing'})`;
    }
}

/** `value` as a record when it has a record's shape. */
export function asRecord(value: unknown): { record: JournalRecord } | { problem: string } {
    const problem = recordProblem(value);
    return problem === undefined ? { record: value as JournalRecord } : { problem };
}

/**
 * The records of a line: `value` itself, or with `batches` (journals of version 3) the
 * records of a `batch` record. A batch with one damaged record is damaged as a whole: its
 * records were sealed together, and one wrong means none can be trusted.
 */
export function lineRecords(value: unknown, batches: boolean): { records: JournalRecord[] } | { problem: string } {
    if (!batches || !isObject(value) || value.type !== 'batch') {
        const one = asRecord(value);
        return 'problem' in one ? one : { records: [one.record] };
    }
    if (!Array.isArray(value.records)) {
        return { problem: 'a batch record without its records' };
    }
    const records = value.records as unknown[];
    for (let i = 0; i < records.length; i++) {
        const r = records[i];
        const problem = isObject(r) && (r.type === 'run' || r.type === 'batch') ? `a ${String(r.type)} record` : recordProblem(r);
        if (problem !== undefined) {
            return { problem: `a batch record whose record ${i + 1} is ${problem}` };
        }
    }
    return { records: records as JournalRecord[] };
}
