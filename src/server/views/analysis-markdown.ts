/**
 * What `KM Flow: Analyze` shows, as markdown: graph shape, bottleneck candidates (the
 * longest estimates on the engine's predicted critical path, as `plan` and the editor
 * have them), security-relevant steps, tools that cannot run, the checker's warnings. Each
 * step named there links back to its line of the document (`URI#L4`).
 */
import { buildGraph, topologicalLevels } from '../../engine/graph/index.js';
import { predictWorkflow } from '../../engine/insight/index.js';
import type { WorkflowSpec } from '../../engine/model/index.js';
import { estimateFromHistory } from '../../engine/state/index.js';
import type { History } from '../../engine/state/index.js';
import type { ToolRegistry } from '../../engine/tools/index.js';
import { formatDuration } from '../../shared/duration-format.js';

/** A step's id in code, linked to its line of the document `uri` when both are known. */
function stepRef(workflow: WorkflowSpec, id: string, uri?: string): string {
    const line = workflow.steps.find((s) => s.id === id)?.location?.line;
    return uri && line !== undefined ? `[\`${id}\`](<${uri}#L${line}>)` : `\`${id}\``;
}

/**
 * Static analysis: graph shape, tools that cannot run, security-relevant steps; `history`:
 * the workspace's measured one; `uri`: the document, which the steps link to.
 */
export function analysisMarkdown(workflow: WorkflowSpec, registry: ToolRegistry, warnings: string[] = [], history?: History, uri?: string): string {
    const graph = buildGraph(workflow);
    const levels = topologicalLevels(graph);
    const edges = graph.deps.reduce((n, d) => n + d.length, 0);
    const roots = graph.ids.filter((_, i) => graph.deps[i]!.length === 0);
    const leaves = graph.ids.filter((_, i) => graph.dependants[i]!.length === 0);
    const unrunnable: string[] = [];
    const sensitive: string[] = [];
    for (const step of workflow.steps) {
        const tool = step.tool ? registry.get(step.tool) : undefined;
        if (tool && !tool.via) {
            unrunnable.push(`${stepRef(workflow, step.id, uri)} (${tool.id} has no \`via\`)`);
        }
        if (tool && tool.security !== 'standard') {
            sensitive.push(`${stepRef(workflow, step.id, uri)} uses ${tool.id} (security ${tool.security})`);
        }
    }
    const { estimates, criticalPath } = predictWorkflow(workflow, registry, history && estimateFromHistory(history, workflow.id), graph);
    const bottlenecks = criticalPath.steps
        .map((id) => ({ id, estimate: estimates[graph.index.get(id)!]! }))
        .sort((a, b) => b.estimate.ms - a.estimate.ms)
        .slice(0, 3)
        .map((n) => `${stepRef(workflow, n.id, uri)} (~${formatDuration(n.estimate.ms)} ${n.estimate.source}, on the predicted critical path)`);
    const list = (items: string[]): string[] => (items.length > 0 ? items.map((i) => `- ${i}`) : ['- none']);
    return [
        `# Analysis: ${workflow.id}`,
        '',
        '## Graph',
        '',
        `- ${graph.ids.length} steps, ${edges} dependencies, depth ${levels.length}, widest level ${Math.max(0, ...levels.map((l) => l.length))}`,
        `- entry steps: ${roots.map((r) => `\`${r}\``).join(', ') || 'none'}; final steps: ${leaves.map((r) => `\`${r}\``).join(', ') || 'none'}`,
        '',
        '## Bottleneck candidates',
        '',
        ...list(bottlenecks),
        '',
        '## Security',
        '',
        ...list(sensitive),
        '',
        '## Cannot run yet',
        '',
        ...list(unrunnable),
        '',
        '## Checker warnings',
        '',
        ...list(warnings),
        '',
    ].join('\n');
}
