/**
 * The `graph` message of a workflow: nodes with their level, source line and estimate,
 * the dependency edges, and the critical path, labelled which: before a run the
 * engine's predicted one (`predictWorkflow`, over measured history where there is any:
 * the path `plan`, `analyze` and the editor's hints show), after a run the one that run
 * measured (its report's). Each tool the steps may call comes with its server, for the
 * details pane.
 */
import { criticalPath, type CriticalPath } from '../engine/graph/index.js';
import { buildGraph, topologicalLevels, type WorkflowGraph } from '../engine/graph/index.js';
import { estimateWorkflow, predictWorkflow } from '../engine/insight/index.js';
import type { WorkflowSpec } from '../engine/model/index.js';
import { estimateFromHistory } from '../engine/state/index.js';
import { HistoryCache } from '../engine/state/index.js';
import type { History } from '../engine/state/index.js';
import type { ToolRegistry } from '../engine/tools/index.js';
import type { RunReport } from '../engine/run/index.js';
import type { GraphEdge, GraphMessage, GraphNode, ToolVia } from '../shared/messages.js';

/** What the message is computed with, besides the workflow and its tools. */
export interface GraphOptions {
    /** The workspace's measured history (`loadHistory`): the steps' estimates come from it where it has them. */
    history?: History;
    /** A finished run of the workflow: the critical path is then the one it measured. */
    report?: RunReport;
}

/** Builds the graph message; a cyclic workflow (not runnable) gets every node on level 0 and no path. */
export function graphMessage(workflow: WorkflowSpec, registry: ToolRegistry, uri?: string, options: GraphOptions = {}): GraphMessage {
    const graph = buildGraph(workflow);
    const measured = options.history && estimateFromHistory(options.history, workflow.id);
    const levelOf = new Map<string, number>();
    let { estimates } = estimateWorkflow(workflow, registry, measured);
    let critical: CriticalPath = { steps: [], lengthMs: 0, kind: options.report ? 'measured' : 'predicted' };
    try {
        topologicalLevels(graph).forEach((ids, level) => ids.forEach((id) => levelOf.set(id, level)));
        if (options.report) {
            critical = measuredPath(workflow, graph, options.report);
        } else {
            ({ estimates, criticalPath: critical } = predictWorkflow(workflow, registry, measured, graph));
        }
    } catch {
        // A cycle: the checker reports it; draw the nodes anyway.
    }
    const nodes: GraphNode[] = workflow.steps.map((s, i) => ({
        id: s.id,
        tool: s.tool ?? `capability ${s.capability ?? '?'}`,
        level: levelOf.get(s.id) ?? 0,
        line: s.location?.line,
        estimateMs: estimates[i]!.ms,
        estimateSource: estimates[i]!.source,
    }));
    const edges: GraphEdge[] = [];
    graph.deps.forEach((deps, i) => {
        for (const d of deps) {
            edges.push({ from: graph.ids[d]!, to: graph.ids[i]! });
        }
    });
    return {
        type: 'graph',
        workflow: workflow.id,
        title: workflow.title,
        uri,
        nodes,
        edges,
        criticalPath: critical.steps,
        criticalPathMs: critical.lengthMs,
        criticalPathKind: critical.kind,
        tools: toolServers(workflow, registry),
    };
}

/** The `via` of every tool a step may call: its `uses` tool, or each tool providing its capability. */
function toolServers(workflow: WorkflowSpec, registry: ToolRegistry): Record<string, ToolVia> {
    const tools: Record<string, ToolVia> = {};
    for (const step of workflow.steps) {
        const candidates = step.tool !== undefined ? [registry.get(step.tool)] : step.capability !== undefined ? registry.byCapability(step.capability) : [];
        for (const tool of candidates) {
            if (tool?.via) {
                tools[tool.id] = { server: tool.via.server, name: tool.via.tool };
            }
        }
    }
    return tools;
}

/** The workspaces' histories, read again only when their file changed. */
const histories = new HistoryCache();

/** `graphMessage` over the measured history of the workspace root `root`. */
export async function workspaceGraph(workflow: WorkflowSpec, registry: ToolRegistry, uri: string, root: string, report?: RunReport): Promise<GraphMessage> {
    const history = await histories.get(root).catch(() => undefined);
    return graphMessage(workflow, registry, uri, { history, report });
}

/**
 * The run's measured critical path: its report's, or, for a report of an older version
 * that does not list it, the same computation over the report's step durations.
 */
function measuredPath(workflow: WorkflowSpec, graph: WorkflowGraph, report: RunReport): CriticalPath {
    if (report.criticalPath) {
        return { steps: report.criticalPath, lengthMs: report.criticalPathMs, kind: 'measured' };
    }
    const ms = new Map(report.steps.map((s) => [s.id, s.durationMs]));
    return criticalPath(graph, workflow.steps.map((s) => ms.get(s.id) ?? 0), 'measured');
}
