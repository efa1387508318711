/**
 * Dependency cycles (found by the engine's own graph code), reported once per workflow:
 * on the cycle's first step in the file, with the path, shortened when it is long, and
 * the other steps (the first few) as related locations. A 10,000-step cycle is one line.
 */
import { AstUtils, GrammarUtils, type ValidationAcceptor } from 'langium';
import type { DiagnosticRelatedInformation } from 'vscode-languageserver-types';
import { findCycle } from '../../engine/graph/index.js';
import type { Step } from '../generated/ast.js';
import { Codes } from '../diagnostic-codes.js';
import type { WorkflowContext } from './workflow-context.js';

/** Paths longer than this many steps show their first and last halves of it. */
export const MAX_PATH_STEPS = 20;

/**
 * `a → b → c → a`; past MAX_PATH_STEPS steps the middle is elided:
 * `s0 → … → s9 → … (9,980 more) → s9990 → … → s9999 → s0`.
 */
export function cyclePath(cycle: string[]): string {
    if (cycle.length <= MAX_PATH_STEPS) {
        return [...cycle, cycle[0]].join(' → ');
    }
    const half = MAX_PATH_STEPS / 2;
    const hidden = cycle.length - 2 * half;
    return [...cycle.slice(0, half), `… (${hidden.toLocaleString('en-US')} more)`, ...cycle.slice(-half), cycle[0]].join(' → ');
}

export function checkCycle(ctx: WorkflowContext, accept: ValidationAcceptor): void {
    const cycle = findCycle(ctx.spec);
    if (!cycle || cycle.length === 0) {
        return;
    }
    const steps = cycle.map((id) => ctx.steps.get(id)).filter((s): s is Step => s !== undefined);
    const first = steps.reduce<Step | undefined>((a, s) => (!a || offset(s) < offset(a) ? s : a), undefined);
    if (!first) {
        return;
    }
    // Start the path at the step the diagnostic is on, so it reads from there.
    const at = cycle.indexOf(first.name);
    const path = cyclePath([...cycle.slice(at), ...cycle.slice(0, at)]);
    const uri = AstUtils.getDocument(first).uri.toString();
    const related: DiagnosticRelatedInformation[] = [];
    for (const step of steps) {
        const range = step !== first ? nameRange(step) : undefined;
        if (range && related.length < MAX_PATH_STEPS) {
            related.push({ location: { uri, range }, message: `'${step.name}' is on the cycle` });
        }
    }
    accept('error', `dependency cycle (each step waits for the next): ${path}`, {
        node: first, property: 'name', code: Codes.Cycle, data: { code: Codes.Cycle }, relatedInformation: related,
    });
}

function offset(step: Step): number {
    return step.$cstNode?.offset ?? Number.MAX_SAFE_INTEGER;
}

function nameRange(step: Step): DiagnosticRelatedInformation['location']['range'] | undefined {
    return (GrammarUtils.findNodeForProperty(step.$cstNode, 'name') ?? step.$cstNode)?.range;
}
