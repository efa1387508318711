/**
 * The editor's timing of a workflow: each step's estimate and the predicted critical
 * path, from the engine's `predictWorkflow` (the same `plan`, `analyze` and the graph
 * show) over the workspace's measured history where it has any, and each step's
 * predicted start. One computation per workflow AST and history, shared by the inlay
 * hints and the critical-path lens.
 */
import { AstUtils } from 'langium';
import type { CriticalPath } from '../../engine/graph/index.js';
import { buildGraph, topologicalOrder } from '../../engine/graph/index.js';
import type { StepEstimate } from '../../engine/insight/index.js';
import { predictWorkflow } from '../../engine/insight/index.js';
import { estimateFromHistory } from '../../engine/state/index.js';
import type { History } from '../../engine/state/index.js';
import type { Workflow } from '../generated/ast.js';
import type { KmflowServices } from '../kmflow-module.js';
import { workflowRegistry } from '../prepare-run.js';
import { toWorkflowSpec } from '../to-engine-model.js';
import { parseOf } from '../parse-cache.js';
import type { WorkspaceHistory } from './workspace-history.js';

/** When a step would start (unconstrained by resources), its estimate, and whether it is on the predicted critical path. */
export interface StepTiming {
    startMs: number;
    estimate: StepEstimate;
    critical: boolean;
}

export interface WorkflowTiming {
    steps: Map<string, StepTiming>;
    criticalPath: CriticalPath;
}

export class StepTimings {
    protected readonly services: KmflowServices;
    protected readonly history: WorkspaceHistory;
    /** One timing per workflow and parse (an edit anywhere in the file may change a tool it uses: parse-cache.ts) and history (a new one is a new object). */
    protected readonly timings = new WeakMap<Workflow, { parse: object; history: History | undefined; timing: WorkflowTiming | undefined }>();

    constructor(services: KmflowServices) {
        this.services = services;
        this.history = services.timing.History;
    }

    /** The timing of `workflow`; undefined when it has a dependency cycle (there is no plan then). */
    of(workflow: Workflow): WorkflowTiming | undefined {
        const document = AstUtils.getDocument(workflow);
        const history = this.history.of(document.uri);
        const parse = parseOf(workflow);
        const cached = this.timings.get(workflow);
        if (cached && cached.history === history && cached.parse === parse) {
            return cached.timing;
        }
        const timing = this.compute(workflow, history);
        this.timings.set(workflow, { parse, history, timing });
        return timing;
    }

    protected compute(workflow: Workflow, history: History | undefined): WorkflowTiming | undefined {
        const document = AstUtils.getDocument(workflow);
        const spec = toWorkflowSpec(this.services, workflow);
        const graph = buildGraph(spec);
        let order: number[];
        try {
            order = topologicalOrder(graph);
        } catch {
            return undefined;
        }
        const measured = history && estimateFromHistory(history, spec.id);
        const { estimates, criticalPath } = predictWorkflow(spec, workflowRegistry(this.services, document, workflow), measured, graph);
        const start = new Float64Array(estimates.length);
        for (const i of order) {
            for (const d of graph.deps[i]!) {
                start[i] = Math.max(start[i]!, start[d]! + estimates[d]!.ms);
            }
        }
        const critical = new Set(criticalPath.steps);
        const steps = new Map<string, StepTiming>();
        spec.steps.forEach((s, i) => {
            if (!steps.has(s.id)) {
                steps.set(s.id, { startMs: start[i]!, estimate: estimates[i]!, critical: critical.has(s.id) });
            }
        });
        return { steps, criticalPath };
    }
}
