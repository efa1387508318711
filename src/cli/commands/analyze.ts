/** `kmflow analyze FILE [--workflow ID] [--json]`: graph statistics, synergies, security findings, bottlenecks. */
import { analyzeWorkflow, type Analysis, type Finding } from '../../engine/insight/analyze.js';
import { estimateFromHistory, loadHistory } from '../../engine/state/history/index.js';
import { formatDuration } from '../../language/durations.js';
import { diagnosticsOf } from '../../language/load-files.js';
import { toCliDiagnostic } from '../diagnostic-format.js';
import { reportOnWorkflow } from '../load-one.js';
import type { CommandContext } from '../command-context.js';

const SECURITY_CODES = new Set(['security-escalation', 'sensitive-data']);

export function analyzeCommand(ctx: CommandContext): Promise<number> {
    return reportOnWorkflow(ctx, 'analyze', async (loaded, prepared): Promise<Analysis> => {
        const checkerFindings: Finding[] = diagnosticsOf(loaded.document)
            .map((d) => toCliDiagnostic(loaded.file, d))
            .filter((d) => SECURITY_CODES.has(d.code))
            .map((d) => ({ kind: d.code, severity: d.severity === 'error' ? 'error' : 'warning', message: `${d.file}:${d.line}:${d.column} ${d.message}` }));
        const estimateMs = estimateFromHistory(await loadHistory(ctx.root), prepared.workflow.id);
        return analyzeWorkflow(prepared.workflow, { registry: prepared.registry, checkerFindings, estimateMs });
    }, formatAnalysis);
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
