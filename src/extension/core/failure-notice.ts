/**
 * What the user is told when a run does not succeed, or cannot start, without `vscode`:
 * the failed step(s) and the first error (code, message and the tool's advice) of a
 * finished run, and the first problems of a refused one, each with the actions that fit.
 */
import type { RunProblem } from '../../shared/lsp-protocol.js';
import type { RunReport, StepReport } from '../../shared/run-report.js';

/** Actions of a failure notice. */
export const SHOW_DETAILS = 'Show Details';
export const RESUME = 'Resume';
export const RERUN = 'Rerun';
export const GO_TO_PROBLEM = 'Go to Problem';
export const SET_SECRET = 'Set Secret';

export type { RunProblem } from '../../shared/lsp-protocol.js';

/** A notice: its text, its actions, and the step "Show Details" opens. */
export interface FailureNotice {
    text: string;
    actions: string[];
    /** The failed steps, the one that failed first first. */
    failedSteps: string[];
    /** The step whose error the text names. */
    detailStep?: string;
}

const clip = (text: string, max: number): string => {
    const one = text.replace(/\s+/g, ' ').trim();
    return one.length > max ? `${one.slice(0, max - 1)}…` : one;
};

function endOf(step: StepReport): number {
    const t = step.endedAt ? Date.parse(step.endedAt) : Number.NaN;
    return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

/** `code: message Advice: …` of a step's error. */
export function errorText(step: StepReport): string {
    const e = step.error;
    if (!e) {
        return `${step.status} without an error`;
    }
    return `${e.code}: ${clip(e.message, 200)}${e.advice ? ` Advice: ${clip(e.advice, 160)}` : ''}`;
}

const list = (ids: string[]): string => ids.join(', ');

/**
 * The notice of a finished run that did not succeed; undefined for a success. It names
 * the failed step(s) and the first error; a cancelled run names the steps it stopped.
 */
export function failureNotice(report: RunReport): FailureNotice | undefined {
    if (report.status === 'succeeded') {
        return undefined;
    }
    const failed = report.steps.map((s, i) => ({ s, i })).filter(({ s }) => s.status === 'failed')
        .sort((a, b) => endOf(a.s) - endOf(b.s) || a.i - b.i).map(({ s }) => s);
    const first = failed[0];
    const done = report.steps.filter((s) => s.status === 'succeeded').length;
    const progress = `${done}/${report.steps.length} steps succeeded`;
    const wf = report.workflow;
    let text: string;
    if (first) {
        const which = failed.length === 1 ? `step ${first.id} failed` : `steps ${list(failed.map((s) => s.id))} failed; first ${first.id}`;
        const head = report.status === 'partial' ? `${wf} partly failed` : report.status === 'rolled_back' ? `${wf} failed and was rolled back` : `${wf} ${report.status}`;
        text = `KM Flow: ${head}: ${which} — ${errorText(first)} (${progress})`;
    } else if (report.status === 'cancelled') {
        const stopped = report.steps.filter((s) => s.status === 'cancelled').map((s) => s.id);
        text = `KM Flow: ${wf} was cancelled (${progress}${stopped.length > 0 ? `; stopped: ${list(stopped.slice(0, 5))}${stopped.length > 5 ? ', …' : ''}` : ''}).`;
    } else {
        text = `KM Flow: ${wf} ${report.status} (${progress}).`;
    }
    return { text, actions: [SHOW_DETAILS, RESUME, RERUN], failedSteps: failed.map((s) => s.id), detailStep: first?.id };
}

/**
 * The notice of a run (or, with `verb`, a plan, an analysis…) that could not start: its
 * first problems, with Go to Problem; `fallback` when no problem has a place.
 */
export function refusalNotice(what: string, problems: readonly RunProblem[], fallback: string, code?: string, verb = 'run'): FailureNotice {
    const actions = code === 'missing-secret' ? [GO_TO_PROBLEM, SET_SECRET] : problems.length > 0 ? [GO_TO_PROBLEM] : [];
    if (problems.length === 0) {
        return { text: `KM Flow: cannot ${verb} ${what}: ${clip(fallback, 400)}`, actions, failedSteps: [] };
    }
    const shown = problems.slice(0, 3).map((p) => `line ${p.line}${p.column ? `:${p.column}` : ''} ${p.code}: ${clip(p.message, 160)}`);
    const more = problems.length > shown.length ? `; and ${problems.length - shown.length} more in the Problems panel` : '';
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    return { text: `KM Flow: cannot ${verb} ${what} (${count}): ${shown.join('; ')}${more}.`, actions, failedSteps: [] };
}

/** The step a setup refusal names (`step 'x' …`), if any. */
export function stepNamed(message: string): string | undefined {
    return /\bstep '([^']+)'/.exec(message)?.[1];
}
