/**
 * Predicts a run by running the real scheduler on a fake clock with stand-in tools that
 * take each step's expected duration: same ready queue, limits, resource pool and groups
 * as a real run, so `plan` and `optimize` predict what `run` will do, not what a formula
 * says. Outputs are unknown before a run, so data references become plain ordering
 * (`after`), `when` is assumed true and a fan-out has its statically known item count
 * (one item when the list comes from another step).
 */
import { FakeClock, sleep } from '../run/clock.js';
import { buildGraph } from '../graph/graph.js';
import type { Expr, StepSpec, ToolDescriptor, WorkflowSettings, WorkflowSpec } from '../model/model.js';
import { ToolRegistry, type Connector } from '../tools/registry.js';
import { resolveInputs } from '../run/run-setup.js';
import type { EstimateMs } from '../state/history/estimate.js';
import { estimateStep } from './estimate.js';
import { plannedTool } from './predicted-path.js';
import { streamSources } from '../run/pipeline.js';
import { runWorkflow } from '../run/scheduler.js';
import type { RunReport } from '../run/run-types.js';

const SIM_SERVER = 'simulated';

export interface SimulationOptions {
    registry: ToolRegistry;
    /** Measured duration of one call of a step (history), for its estimate (`estimateStep`). */
    estimateMs?: EstimateMs;
    inputs?: Readonly<Record<string, unknown>>;
    /** Settings to try instead of the workflow's own (what `optimize` asks). */
    settings?: Partial<WorkflowSettings>;
}

export interface SimulatedStep {
    id: string;
    tool: string;
    startMs: number;
    endMs: number;
    items: number;
}

export interface Simulation {
    makespanMs: number;
    steps: SimulatedStep[];
    maxConcurrency: number;
    utilization: number;
    report: RunReport;
}

/** The number of items a static list expression has, else undefined. */
function staticLength(expr: Expr, inputs: Readonly<Record<string, unknown>>): number | undefined {
    if (expr.kind === 'list') {
        return expr.items.length;
    }
    if (expr.kind === 'ref' && expr.root === 'input' && expr.path.length === 0) {
        const value = inputs[expr.name];
        return Array.isArray(value) ? value.length : undefined;
    }
    return undefined;
}

const EMPTY: Expr = { kind: 'object', entries: [] };

/** A stand-in for a step's unknown tool: it plans with default figures. */
function unknownTool(step: StepSpec): ToolDescriptor {
    return {
        id: step.tool ?? `capability ${step.capability ?? '?'}`, capabilities: [], dependsOn: [], resources: {},
        performance: {}, integrates: [], security: 'standard', cacheable: false, readOnly: false, source: 'declared',
    };
}

export async function simulateRun(workflow: WorkflowSpec, options: SimulationOptions): Promise<Simulation> {
    const inputs = resolveInputs(workflow, options.inputs ?? {});
    const graph = buildGraph(workflow);
    const tools = workflow.steps.map((step) => plannedTool(step, options.registry, workflow.settings) ?? unknownTool(step));
    const durations = new Map<string, number>();
    const simRegistry = new ToolRegistry();
    // A fan-out over another fan-out's output keeps that link, so `pipeline` streams here too.
    const streams = streamSources(workflow.steps, graph);
    const steps: StepSpec[] = workflow.steps.map((step, i) => {
        const tool = tools[i]!;
        const ms = estimateStep(step, tool, options.estimateMs).ms;
        durations.set(step.id, ms);
        const simId = `sim:${step.id}`;
        simRegistry.add({ ...tool, id: simId, inputSchema: undefined, via: { server: SIM_SERVER, tool: step.id } });
        const source = streams[i]!;
        if (source >= 0) {
            const from = graph.ids[source]!;
            return {
                ...step, tool: simId, capability: undefined, with: EMPTY, when: undefined, timeoutMs: undefined,
                after: graph.deps[i]!.map((d) => graph.ids[d]!).filter((id) => id !== from),
                requires: [], ensures: [], retry: undefined, compensate: undefined,
                each: { name: step.each!.name, items: { kind: 'ref', root: 'step', name: from, path: [{ field: 'output' }] } },
            };
        }
        const items = step.each ? staticLength(step.each.items, inputs) ?? 1 : undefined;
        return {
            ...step,
            tool: simId,
            capability: undefined,
            with: EMPTY,
            when: undefined,
            // A plan predicts every step succeeding: its duration is already capped at
            // its timeout, so a timer would only turn "takes its timeout" into a failure.
            timeoutMs: undefined,
            after: graph.deps[i]!.map((d) => graph.ids[d]!),
            requires: [],
            ensures: [],
            each: items === undefined ? undefined : { name: step.each!.name, items: { kind: 'literal', value: null } },
            eachCount: items,
            retry: undefined,
            compensate: undefined,
        } as StepSpec & { eachCount?: number };
    });
    // A fan-out's items: a list of the known length.
    for (const step of steps as Array<StepSpec & { eachCount?: number }>) {
        if (step.each && step.eachCount !== undefined) {
            step.each = { name: step.each.name, items: { kind: 'list', items: Array.from({ length: step.eachCount }, () => EMPTY) } };
        }
        delete step.eachCount;
    }
    const clock = new FakeClock(0);
    const connector: Connector = {
        async call(tool, _params, ctx) {
            await sleep(clock, durations.get(tool.via!.tool) ?? 0, ctx.signal);
            return { output: null };
        },
        async close() { /* nothing held */ },
    };
    const simWorkflow: WorkflowSpec = {
        ...workflow,
        inputs: [],
        // No cache: stand-in calls have empty parameters (every item would look identical)
        // and a persistent cache would write under the current directory. A cache hit is
        // modelled by its estimate instead (`optimize` predicts one as 0 ms).
        settings: { ...workflow.settings, ...options.settings, timeoutMs: undefined, errors: 'resilient', cache: 'none' },
        steps,
    };
    const report = await runWorkflow(simWorkflow, {
        registry: simRegistry,
        connectors: new Map([[SIM_SERVER, connector]]),
        clock,
        env: {},
        runId: `simulation-${workflow.id}`,
        seed: 1,
        // Critical-path priorities from the same durations the stand-ins take: what a
        // run given the same `estimateMs` (measured history) schedules. Without one,
        // these are the declared figures, as in a run without it.
        estimateMs: (step) => durations.get(step.id),
    });
    const t0 = Date.parse(report.startedAt);
    return {
        makespanMs: report.durationMs,
        maxConcurrency: report.metrics.maxConcurrency,
        utilization: report.metrics.utilization,
        steps: report.steps.map((s, i) => ({
            id: s.id,
            tool: tools[i]!.id,
            startMs: s.startedAt ? Date.parse(s.startedAt) - t0 : 0,
            endMs: s.endedAt ? Date.parse(s.endedAt) - t0 : 0,
            items: s.items ?? 1,
        })),
        report,
    };
}
