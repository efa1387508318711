/**
 * The run report's bottlenecks: steps on the measured critical path that take a large share
 * of the run, tools slower than they declare or failing, and steps that waited longest for
 * a slot. The ten with the most impact, redacted.
 */
import type { ReportInput } from './report.js';
import type { StepState, ToolStats } from './run-state.js';
import type { Bottleneck, ToolMetrics } from './run-types.js';

/** A step is a critical-path bottleneck when it takes at least this share of the run. */
const CRITICAL_SHARE = 0.2;
const MAX_BOTTLENECKS = 10;

/** Milliseconds to the microsecond, as the report carries them. */
export function round(ms: number): number {
    return Math.round(ms * 1000) / 1000;
}

/** 1 at each of `indices`, among `n` steps. */
function markSteps(n: number, indices: readonly number[]): Uint8Array {
    const marks = new Uint8Array(n);
    for (let k = 0; k < indices.length; k++) {
        marks[indices[k]!] = 1;
    }
    return marks;
}

export function bottlenecks(
    input: ReportInput,
    stats: readonly ToolStats[],
    durations: Float64Array,
    /** Indices of the steps on the critical path. */
    criticalPath: readonly number[],
    durationMs: number,
    tools: Record<string, ToolMetrics>,
): Bottleneck[] {
    const out: Bottleneck[] = [];
    // Only a step taking CRITICAL_SHARE of the run can qualify: find those first (few),
    // then check they are on the path, instead of looking up every step of a long path.
    const threshold = CRITICAL_SHARE * durationMs;
    let onPath: Uint8Array | undefined;
    // The (up to) 3 steps that waited longest for a slot, longest first, earlier steps
    // first among equals. In sequential mode waiting is the point, not a bottleneck.
    // One indexed pass for both, keeping only those 3: when thousands of a flat run's
    // steps waited, collecting and sorting them all was a third of the report.
    const waits: Array<{ s: StepState; waited: number }> = [];
    const queued = input.workflow.settings.mode !== 'sequential';
    const all = input.steps;
    const readyAt = input.readyAt;
    for (let i = 0; i < all.length; i++) {
        const s = all[i]!;
        const d = durations[s.index]!;
        if (queued) {
            const ready = readyAt[s.index]!;
            const waited = s.startedAt - ready;
            if (s.startedAt >= 0 && ready >= 0 && waited > 10 && waited > d
                && (waits.length < 3 || waited > waits[2]!.waited)) {
                let at = waits.length;
                while (at > 0 && waits[at - 1]!.waited < waited) {
                    at--;
                }
                waits.splice(at, 0, { s, waited });
                waits.length = Math.min(waits.length, 3);
            }
        }
        if (durationMs > 0 && d >= threshold) {
            // By index: on a flat run every step may take that share, and a string Set
            // lookup each cost more than the rest of this loop.
            onPath ??= markSteps(all.length, criticalPath);
            if (onPath[s.index] !== 1) {
                continue;
            }
            const share = d / durationMs;
            const id = s.spec.id;
            out.push({
                kind: 'critical-path',
                step: id,
                tool: s.tool.id,
                message: `step '${id}' is on the critical path and takes ${Math.round(share * 100)}% of the run`,
                impactMs: round(d),
                evidence: { durationMs: round(d), runDurationMs: durationMs, share: round(share) },
            });
        }
    }
    for (const s of stats) {
        const m = tools[s.tool.id];
        if (!m) {
            continue;
        }
        const declared = s.tool.performance.responseTimeMs;
        if (declared !== undefined && m.p95Ms > 2 * declared) {
            out.push({
                kind: 'slow-tool',
                tool: s.tool.id,
                message: `tool '${s.tool.id}' answers in ${m.p95Ms} ms (p95), over twice its declared ${declared} ms`,
                impactMs: round(m.p95Ms - declared),
                evidence: { p50Ms: m.p50Ms, p95Ms: m.p95Ms, declaredMs: declared, calls: m.calls },
            });
        }
        if (m.errors > 0) {
            out.push({
                kind: 'errors',
                tool: s.tool.id,
                message: `tool '${s.tool.id}' failed ${m.errors} of ${m.calls} calls`,
                impactMs: round(m.errors * m.p50Ms),
                evidence: { errors: m.errors, calls: m.calls, errorRate: round(m.errors / m.calls) },
            });
        }
    }
    const settings = input.workflow.settings;
    for (const { s, waited } of waits) {
        out.push({
            kind: 'queue-wait',
            step: s.spec.id,
            tool: s.tool.id,
            message: `step '${s.spec.id}' was ready but waited ${Math.round(waited)} ms for a free slot (max_parallel ${settings.maxParallel ?? 'unbounded'}, resources ${settings.resources})`,
            impactMs: round(waited),
            evidence: { waitedMs: round(waited), durationMs: round(durations[s.index]!), maxConcurrency: input.maxConcurrency },
        });
    }
    return out.sort((a, b) => b.impactMs - a.impactMs).slice(0, MAX_BOTTLENECKS).map((b) => input.redactor.value(b));
}
