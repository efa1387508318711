/**
 * Measured durations for the scheduler's priorities, `simulateRun`, `plan` and
 * `optimize`: once a step or tool has history, its measured median replaces the
 * declared `response_time`.
 */
import type { StepSpec, ToolDescriptor } from '../../model/model.js';
import type { History, StepHistory } from './types.js';

/** A RunOptions/SimulationOptions `estimateMs` from history. */
export type EstimateMs = (step: StepSpec, tool: ToolDescriptor) => number | undefined;

/**
 * Expected duration of one call of `step` on `tool`:
 * 1. the step's own median duration, when it ran with this tool and does not fan out
 *    (a step's parameters decide its time: two `delay` steps differ, one tool or not);
 *    `workflow` picks that workflow's step, else the step id with the most runs;
 * 2. else the tool's median call duration;
 * 3. else undefined (the caller falls back to the declared response time).
 */
export function estimateFromHistory(history: History, workflow?: string): EstimateMs {
    const byStep = new Map<string, StepHistory>();
    for (const s of Object.values(history.steps)) {
        if (workflow !== undefined && s.workflow !== workflow) {
            continue;
        }
        const key = `${s.step}\0${s.tool}`;
        const seen = byStep.get(key);
        if (!seen || s.runs > seen.runs) {
            byStep.set(key, s);
        }
    }
    return (step, tool) => {
        const own = step.each === undefined ? byStep.get(`${step.id}\0${tool.id}`) : undefined;
        if (own && own.runs > 0) {
            return own.p50Ms;
        }
        const t = history.tools[tool.id];
        return t && t.samples > 0 ? t.p50Ms : undefined;
    };
}
