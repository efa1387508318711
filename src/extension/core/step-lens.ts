/** The "last run" lens title of a step, from the newest finished run of its workflow. */
import type { StepReport } from '../../shared/run-report.js';
import { outline, type OutlineEntry } from './document-outline.js';
import { formatDuration, statusIcon } from './format.js';

/** The setting that puts lenses over every step (off by default: one row per workflow). */
export const STEP_LENSES_SETTING = 'kmflow.lenses.steps';

/** The headers that get a "last run" lens: every workflow's, and its steps' only when `steps`. */
export function lensedEntries(text: string, steps: boolean): OutlineEntry[] {
    return outline(text).filter((e) => steps || e.kind === 'workflow');
}

/** `$(pass) succeeded · 412 ms · 2 attempts` (codicons render in lens titles). */
export function stepLensTitle(step: StepReport): string {
    const parts = [`$(${statusIcon(step.status)}) last run: ${step.status}`];
    if (step.startedAt !== null) {
        parts.push(formatDuration(step.durationMs));
    }
    if (step.attempts > 1) {
        parts.push(`${step.attempts} attempts`);
    }
    return parts.join(' · ');
}

/** What hovering the lens says: the error and the tool's advice, or how to see the output. */
export function stepLensTooltip(step: StepReport): string {
    if (!step.error) {
        return 'Show the step\'s details: parameters, output, timings';
    }
    return `${step.error.code}: ${step.error.message}${step.error.advice ? `\nAdvice: ${step.error.advice}` : ''}`;
}

/** Finds the 0-based line of `step NAME` in a document's text (the file may have moved on). */
export function findStepLine(text: string, stepId: string, near?: number): number | undefined {
    const re = new RegExp(`^\\s*step\\s+${stepId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`);
    const lines = text.split(/\r?\n/);
    const hits: number[] = [];
    lines.forEach((l, i) => {
        if (re.test(l)) {
            hits.push(i);
        }
    });
    if (hits.length === 0) {
        return near !== undefined && near >= 0 && near < lines.length ? near : undefined;
    }
    return near === undefined ? hits[0] : hits.reduce((a, b) => (Math.abs(b - near) < Math.abs(a - near) ? b : a));
}

/** Steps' 1-based source lines of a workflow, for the stored report. */
export function stepLines(steps: ReadonlyArray<{ id: string; line?: number }>): Record<string, number> {
    const out: Record<string, number> = {};
    for (const s of steps) {
        if (s.line !== undefined) {
            out[s.id] = s.line;
        }
    }
    return out;
}
