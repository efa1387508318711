/**
 * The one estimate of how long a call of a step takes, shown by every view (editor
 * hints and lenses, graph, Gantt, `plan`, `analyze`, the MCP face) and used by the
 * scheduler's priorities: the step's measured history, else its tool's declared
 * `performance response_time`, else DEFAULT_STEP_MS; never longer than the step's
 * `timeout`, which ends the call by then. It always says which of the three it is.
 */
import type { StepSpec, ToolDescriptor } from '../model/model.js';
import type { EstimateMs } from '../state/history/estimate.js';

/** The estimate of a step when neither history nor its tool says: 100 ms. */
export const DEFAULT_STEP_MS = 100;

/** Where an estimate comes from: measured history, the tool's declaration, or the default. */
export type EstimateSource = 'measured' | 'declared' | 'default';

export interface StepEstimate {
    ms: number;
    source: EstimateSource;
}

/**
 * The estimate of one call of `step` on `tool` (undefined: an unknown tool, which gets
 * the default). `measured` answers from history (`estimateFromHistory`), or undefined.
 */
export function estimateStep(step: StepSpec, tool: ToolDescriptor | undefined, measured?: EstimateMs): StepEstimate {
    const fromHistory = tool && measured?.(step, tool);
    const declared = tool?.performance.responseTimeMs;
    const { ms, source }: StepEstimate = fromHistory !== undefined
        ? { ms: fromHistory, source: 'measured' }
        : declared !== undefined ? { ms: declared, source: 'declared' } : { ms: DEFAULT_STEP_MS, source: 'default' };
    return { ms: withinTimeout(step, ms), source };
}

/** `estimateStep(...).ms` without the objects: the scheduler asks it of every step of a run. */
export function estimateMs(step: StepSpec, tool: ToolDescriptor | undefined, measured?: EstimateMs): number {
    const fromHistory = tool && measured?.(step, tool);
    return withinTimeout(step, fromHistory !== undefined ? fromHistory : tool?.performance.responseTimeMs ?? DEFAULT_STEP_MS);
}

function withinTimeout(step: StepSpec, ms: number): number {
    return step.timeoutMs !== undefined ? Math.min(ms, step.timeoutMs) : ms;
}
