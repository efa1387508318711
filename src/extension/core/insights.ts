/**
 * What Plan, Analyze, Optimize and Suggest show today, as markdown. Thin on purpose:
 * later issues plug the engine's own planner, analyzer and history-based optimizer in
 * behind the same functions.
 */
import { buildGraph, topologicalLevels } from '../../engine/graph.js';
import type { WorkflowSpec } from '../../engine/model.js';
import type { ToolRegistry } from '../../engine/registry.js';
import { formatDuration } from './format.js';
import { graphMessage } from './graph-model.js';

/** The execution plan: levels (what may run together) and the critical path. */
export function planMarkdown(workflow: WorkflowSpec, registry: ToolRegistry): string {
    const graph = graphMessage(workflow, registry);
    const levels = topologicalLevels(buildGraph(workflow));
    const lines = [
        `# Plan: ${workflow.id}${workflow.title ? ` — ${workflow.title}` : ''}`,
        '',
        `Mode \`${workflow.settings.mode}\`, resources \`${workflow.settings.resources}\`, max parallel ${workflow.settings.maxParallel ?? 'unbounded'}, errors \`${workflow.settings.errors}\`.`,
        '',
        '## Levels',
        '',
        '| level | steps that may run together |',
        '|---|---|',
        ...levels.map((ids, i) => `| ${i} | ${ids.map((id) => `\`${id}\``).join(', ')} |`),
        '',
        '## Critical path',
        '',
        graph.criticalPath.length > 0 ? graph.criticalPath.map((id) => `\`${id}\``).join(' → ') : '(no steps)',
        '',
        `Predicted makespan (declared durations, unbounded resources): **${formatDuration(graph.criticalPathMs)}**.`,
        '',
    ];
    return lines.join('\n');
}

/** Static analysis: graph shape, tools that cannot run, security-relevant steps. */
export function analysisMarkdown(workflow: WorkflowSpec, registry: ToolRegistry, warnings: string[] = []): string {
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
            unrunnable.push(`\`${step.id}\` (${tool.id} has no \`via\`)`);
        }
        if (tool && tool.security !== 'standard') {
            sensitive.push(`\`${step.id}\` uses ${tool.id} (security ${tool.security})`);
        }
    }
    const plan = graphMessage(workflow, registry);
    const bottlenecks = [...plan.nodes]
        .filter((n) => plan.criticalPath.includes(n.id))
        .sort((a, b) => b.estimateMs - a.estimateMs)
        .slice(0, 3)
        .map((n) => `\`${n.id}\` (${formatDuration(n.estimateMs)} expected, on the critical path)`);
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

/** Optimize needs measured history; until the engine keeps it, say so. */
export function optimizeMessage(workflow: string, runsOnRecord: number): string {
    return runsOnRecord === 0
        ? `Optimize '${workflow}' needs measured history: run it a few times first (reports go to .kmflow/runs).`
        : `Optimize '${workflow}' needs measured history from the engine's metrics store, which this version does not keep yet (${runsOnRecord} run report(s) on record).`;
}

/** Suggest needs the strategic planner; until the engine has it, say so. */
export function suggestMessage(capabilities: string[]): string {
    return `Suggest Workflow (capabilities: ${capabilities.join(', ') || 'none'}) needs measured history and the strategic planner, which this version of the engine does not have yet.`;
}
