/** `kmflow analyze FILE [--workflow ID] [--json]`: graph statistics, synergies, security findings, bottlenecks. */
import type { Analysis } from '../../engine/insight/index.js';
import { analyzeOf } from '../../app/index.js';
import { formatDuration } from '../../shared/duration-format.js';
import { reportOnWorkflow } from '../load-one.js';
import type { CommandContext } from '../command-context.js';

export function analyzeCommand(ctx: CommandContext): Promise<number> {
    return reportOnWorkflow(ctx, 'analyze', (loaded, prepared) => analyzeOf(loaded.workspace, prepared, { file: loaded }), formatAnalysis);
}

function formatAnalysis(a: Analysis): string {
    const g = a.graph;
    const lines = [
        `${a.workflow}: ${g.steps} steps, ${g.edges} dependencies, depth ${g.depth}, width ${g.width}, density ${g.density}`,
        `${g.criticalPath.kind} critical path ${formatDuration(g.criticalPath.lengthMs)} of ${formatDuration(g.totalWorkMs)} work: parallelism ${g.parallelism}`,
        `  ${g.criticalPath.steps.join(' → ')}`,
        `tools: ${a.tools.map((t) => `${t.id} (${t.steps.length})`).join(', ')}`,
    ];
    const section = (title: string, items: string[]): void => {
        if (items.length > 0) {
            lines.push(`${title}:`, ...items.map((i) => `  ${i}`));
        }
    };
    section('synergies', a.synergies.map((s) => `${s.tools.join(' + ')}: ${s.detail}`));
    section('security', a.security.map((f) => `${f.severity} ${f.message}`));
    section('bottleneck candidates', a.bottlenecks.map((f) => `${f.severity} ${f.message}`));
    return lines.join('\n');
}
