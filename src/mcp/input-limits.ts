/**
 * Bounds on what one call of `km_ecosystem_orchestrator` may ask for, checked before
 * anything is parsed or run, each refusal one line naming the limit: the size of a
 * definition, how many definitions, workflows and steps, the nesting and array sizes of
 * the dictionary form, and the timeout.
 */
import { parseDuration } from '../language/durations.js';

export const LIMITS = {
    /** Characters of one definition: source text, or the dictionary as JSON. */
    definitionChars: 1_000_000,
    /** Definitions in one `coordinate` list. */
    definitions: 16,
    /** Workflows one call prepares (coordinate runs every workflow of each definition). */
    workflows: 16,
    /** Steps of one workflow. */
    steps: 500,
    /** Items of one array of the dictionary form. */
    arrayItems: 1000,
    /** Nesting of the dictionary form (objects and arrays). */
    jsonDepth: 32,
    /** Seconds: the `timeout` argument, and a caller's workflow's own timeout. */
    timeoutSeconds: 3600,
} as const;

/** The deepest nesting of a JSON value and its largest array, without recursion (a deep value cannot overflow the stack). */
function shapeOf(value: unknown): { depth: number; widest: number } {
    let depth = 0;
    let widest = 0;
    const stack: Array<[unknown, number]> = [[value, 1]];
    while (stack.length > 0) {
        const [v, d] = stack.pop()!;
        if (typeof v !== 'object' || v === null) {
            continue;
        }
        depth = Math.max(depth, d);
        if (d > LIMITS.jsonDepth) {
            break;
        }
        const children = Array.isArray(v) ? v : Object.values(v);
        if (Array.isArray(v)) {
            widest = Math.max(widest, v.length);
        }
        for (const c of children) {
            stack.push([c, d + 1]);
        }
    }
    return { depth, widest };
}

/** Seconds a `timeout` argument states (a number, or a duration like `"30s"`); undefined when it is no such thing. */
export function timeoutSeconds(value: unknown): number | undefined {
    if (typeof value === 'number') {
        return value;
    }
    if (typeof value === 'string' && /^[0-9]+(ms|s|m|h)$/.test(value)) {
        return parseDuration(value) / 1000;
    }
    return undefined;
}

function definitionProblems(d: unknown, label: string): string[] {
    if (typeof d === 'string') {
        return d.length > LIMITS.definitionChars
            ? [`${label}: too large (${d.length} characters; the limit is ${LIMITS.definitionChars})`]
            : [];
    }
    if (typeof d !== 'object' || d === null || 'file' in d) {
        return [];
    }
    const { depth, widest } = shapeOf(d);
    if (depth > LIMITS.jsonDepth) {
        return [`${label}: nested too deeply (more than ${LIMITS.jsonDepth} levels of objects and arrays)`];
    }
    if (widest > LIMITS.arrayItems) {
        return [`${label}: an array has ${widest} items; the limit is ${LIMITS.arrayItems}`];
    }
    const chars = JSON.stringify(d).length;
    return chars > LIMITS.definitionChars ? [`${label}: too large (${chars} characters as JSON; the limit is ${LIMITS.definitionChars})`] : [];
}

/** Why the call's arguments are too large, one line each (none: within bounds). */
export function argumentLimitProblems(args: Record<string, unknown>): string[] {
    const problems: string[] = [];
    const defs = args.workflow_definition;
    if (Array.isArray(defs)) {
        if (defs.length > LIMITS.definitions) {
            return [`workflow_definition: ${defs.length} definitions; the limit is ${LIMITS.definitions}`];
        }
        defs.forEach((d, i) => problems.push(...definitionProblems(d, `workflow_definition[${i}]`)));
    } else {
        problems.push(...definitionProblems(defs, 'workflow_definition'));
    }
    const seconds = timeoutSeconds(args.timeout);
    if (seconds !== undefined && seconds > LIMITS.timeoutSeconds) {
        problems.push(`timeout: ${seconds} s is more than the limit of ${LIMITS.timeoutSeconds} s`);
    }
    return problems;
}

/** Why the prepared workflows are too many or too large (none: within bounds). */
export function workflowLimitProblems(workflows: ReadonlyArray<{ id: string; steps: readonly unknown[] }>): string[] {
    if (workflows.length > LIMITS.workflows) {
        return [`workflow_definition: ${workflows.length} workflows; the limit is ${LIMITS.workflows} per call`];
    }
    return workflows.filter((w) => w.steps.length > LIMITS.steps)
        .map((w) => `workflow '${w.id}': ${w.steps.length} steps; the limit is ${LIMITS.steps}`);
}
