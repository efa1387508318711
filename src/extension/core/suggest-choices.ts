/**
 * What `KM Flow: Suggest Workflow` offers and writes: every capability the registry
 * knows (bundled catalogs `std` and `km`, plus the tools the active file declares or
 * imports) with how many tools provide it, the optimisation targets, and the suggested
 * workflow's source (`suggestTools`, weighted by measured history where it exists,
 * written by `writeSuggestedWorkflow`), checked before it is shown: a tool whose step
 * does not check clean is left out and the suggestion made again without it.
 */
import type { History } from '../../engine/state/history/types.js';
import type { OptimizationTarget, ToolDescriptor } from '../../engine/model/model.js';
import { suggestTools, usable, type Suggestion } from '../../engine/insight/suggest.js';
import { writeSuggestedWorkflow } from '../../language/workflow-writer.js';
import { loadWorkflowText } from './workflow-loader.js';

/** The optimisation targets, in the order the pick shows them. */
export const SUGGEST_TARGETS: readonly OptimizationTarget[] = ['performance', 'efficiency', 'reliability', 'cost', 'user_experience'];

/** A capability and the tools behind it. */
export interface CapabilityChoice {
    capability: string;
    /** Tools that declare it. */
    tools: number;
    /** Of those, the ones a suggestion may use (implemented, not a deprecated alias). */
    usable: number;
}

/**
 * Every tool the registry knows: the bundled catalogs' and, given the active document,
 * the tools it declares or imports. Deduplicated by id (the first declaration wins).
 */
export async function knownTools(active?: { uri: string; text: string }): Promise<ToolDescriptor[]> {
    const loaded = await loadWorkflowText(active?.uri ?? 'untitled:/capabilities.kmflow', active?.text ?? 'import "km"\n');
    const index = loaded.services.tools.ToolIndex;
    const seen = new Set<string>();
    return [loaded.document, ...loaded.services.shared.workspace.LangiumDocuments.all.toArray()]
        .flatMap((doc) => index.visibleTools(doc))
        .filter((t) => !seen.has(t.id) && seen.add(t.id) !== undefined);
}

/** Each capability with its tool counts, by name. */
export function capabilityChoices(tools: readonly ToolDescriptor[]): CapabilityChoice[] {
    const by = new Map<string, CapabilityChoice>();
    for (const tool of tools) {
        for (const capability of new Set(tool.capabilities)) {
            const choice = by.get(capability) ?? { capability, tools: 0, usable: 0 };
            choice.tools++;
            if (usable(tool)) {
                choice.usable++;
            }
            by.set(capability, choice);
        }
    }
    return [...by.values()].sort((a, b) => a.capability.localeCompare(b.capability));
}

/** A problem the checker found in a suggestion (1-based line). */
export interface SuggestionProblem {
    line: number;
    severity: 'error' | 'warning';
    message: string;
}

/** A suggestion that checks clean, or the problems no tool swap could fix, and the tools left out. */
export interface CheckedSuggestion {
    suggestion: Suggestion;
    text: string;
    /** Tools left out because their step did not check clean, with the first reason. */
    dropped: Array<{ tool: string; problem: string }>;
    /** Errors and warnings of `text` (empty: it checks clean). */
    problems: SuggestionProblem[];
}

/** Errors and warnings of a kmflow text checked on its own, as an untitled document is. */
export async function checkText(text: string): Promise<SuggestionProblem[]> {
    const loaded = await loadWorkflowText('untitled:/suggested.kmflow', text);
    return (loaded.document.diagnostics ?? [])
        .filter((d) => (d.severity ?? 1) <= 2)
        .map((d) => ({ line: d.range.start.line + 1, severity: (d.severity ?? 1) === 1 ? 'error' as const : 'warning' as const, message: d.message }));
}

/** The tool of the step a 1-based line belongs to in a written suggestion. */
function toolAt(text: string, line: number): string | undefined {
    const lines = text.split('\n').slice(0, line);
    for (let i = lines.length - 1; i >= 0; i--) {
        const m = /^\s*step\s+\S+\s+uses\s+(\S+)/.exec(lines[i]!);
        if (m) {
            return m[1];
        }
        if (/^\s*(workflow|server|tool)\b/.test(lines[i]!)) {
            return undefined;
        }
    }
    return undefined;
}

/**
 * The suggestion, checked: while a step has an error or a warning, its tool is left out
 * and the suggestion made again (another tool may cover its capabilities, or they are
 * reported uncovered). Problems outside any step stay in `problems`.
 */
export async function checkedSuggestion(capabilities: string[], target: OptimizationTarget, tools: ToolDescriptor[], history?: History,
    check: (text: string) => Promise<SuggestionProblem[]> = checkText): Promise<CheckedSuggestion> {
    let pool = tools;
    const dropped: CheckedSuggestion['dropped'] = [];
    for (;;) {
        const { suggestion, text } = suggestWorkflow(capabilities, target, pool, history);
        const problems = await check(text);
        const culprits = new Map<string, string>();
        for (const p of problems) {
            const tool = toolAt(text, p.line);
            if (tool && !culprits.has(tool)) {
                culprits.set(tool, p.message);
            }
        }
        const rest = pool.filter((t) => !culprits.has(t.id));
        if (problems.length === 0 || rest.length === pool.length) {
            return { suggestion, text, dropped, problems };
        }
        dropped.push(...[...culprits].map(([tool, problem]) => ({ tool, problem })));
        pool = rest;
    }
}

/** The suggested workflow covering `capabilities` for `target`, and its source text. */
export function suggestWorkflow(capabilities: string[], target: OptimizationTarget, tools: ToolDescriptor[], history?: History): {
    suggestion: Suggestion; text: string;
} {
    const suggestion = suggestTools(capabilities, tools, target, (tool) => {
        const t = history?.tools[tool.id];
        return t && t.samples > 0 ? { p50Ms: t.p50Ms, p95Ms: t.p95Ms, successRate: t.successRate } : undefined;
    });
    return { suggestion, text: writeSuggestedWorkflow(suggestion) };
}
