/**
 * A workflow's DAG as text others draw: Mermaid (GitHub, VS Code markdown) and Graphviz
 * DOT. The critical path is marked; a run's statuses colour the nodes when given.
 */
import { buildGraph } from './graph.js';
import type { WorkflowSpec } from '../model/model.js';
import type { StepStatus } from '../run/run-types.js';

export interface RenderOptions {
    criticalPath?: readonly string[];
    statuses?: ReadonlyMap<string, StepStatus>;
    /** Tool id per step, shown under the step id. */
    tools?: ReadonlyMap<string, string>;
}

const COLOURS: Record<StepStatus | 'pending', string> = {
    succeeded: '#2e7d32', failed: '#c62828', skipped: '#9e9e9e', cancelled: '#6d4c41', compensated: '#f9a825', pending: '#90a4ae',
};

function label(id: string, options: RenderOptions, withTool: boolean): string {
    const tool = options.tools?.get(id);
    return withTool && tool ? `${id}\n${tool}` : id;
}

function edges(workflow: WorkflowSpec): Array<[string, string]> {
    const graph = buildGraph(workflow);
    const result: Array<[string, string]> = [];
    graph.deps.forEach((deps, i) => deps.forEach((d) => result.push([graph.ids[d]!, graph.ids[i]!])));
    return result;
}

/** Mermaid ids allow only word characters; step ids already are. */
export function toMermaid(workflow: WorkflowSpec, options: RenderOptions = {}): string {
    const critical = new Set(options.criticalPath ?? []);
    const lines = ['flowchart LR'];
    for (const step of workflow.steps) {
        const text = label(step.id, options, true).replace(/"/g, "'").replace('\n', '<br/>');
        lines.push(`    ${step.id}["${text}"]`);
    }
    const all = edges(workflow);
    const criticalLinks: number[] = [];
    all.forEach(([from, to], i) => {
        const onPath = critical.has(from) && critical.has(to);
        lines.push(`    ${from} ${onPath ? '==>' : '-->'} ${to}`);
        if (onPath) {
            criticalLinks.push(i);
        }
    });
    lines.push('    classDef critical stroke-width:3px,stroke:#d84315');
    for (const [status, colour] of Object.entries(COLOURS)) {
        lines.push(`    classDef ${status} fill:${colour},color:#fff`);
    }
    for (const step of workflow.steps) {
        const status = options.statuses?.get(step.id);
        if (status) {
            lines.push(`    class ${step.id} ${status}`);
        }
        if (critical.has(step.id)) {
            lines.push(`    class ${step.id} critical`);
        }
    }
    if (criticalLinks.length > 0) {
        lines.push(`    linkStyle ${criticalLinks.join(',')} stroke:#d84315,stroke-width:3px`);
    }
    return `${lines.join('\n')}\n`;
}

export function toDot(workflow: WorkflowSpec, options: RenderOptions = {}): string {
    const critical = new Set(options.criticalPath ?? []);
    const q = (s: string): string => JSON.stringify(s);
    const lines = [`digraph ${q(workflow.id)} {`, '    rankdir=LR;', '    node [shape=box, style="rounded,filled", fillcolor="#eceff1", fontname="Helvetica"];'];
    for (const step of workflow.steps) {
        const attrs = [`label=${q(label(step.id, options, true))}`];
        const status = options.statuses?.get(step.id);
        if (status) {
            attrs.push(`fillcolor=${q(COLOURS[status])}`, 'fontcolor="white"');
        }
        if (critical.has(step.id)) {
            attrs.push('penwidth=3', 'color="#d84315"');
        }
        lines.push(`    ${q(step.id)} [${attrs.join(', ')}];`);
    }
    for (const [from, to] of edges(workflow)) {
        const onPath = critical.has(from) && critical.has(to);
        lines.push(`    ${q(from)} -> ${q(to)}${onPath ? ' [penwidth=3, color="#d84315"]' : ''};`);
    }
    lines.push('}');
    return `${lines.join('\n')}\n`;
}
