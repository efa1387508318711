/**
 * What `KM Flow: Suggest Workflow` offers and writes: every capability the registry
 * knows (bundled catalogs `std` and `km`, plus the tools the active file declares or
 * imports) with how many tools provide it, the optimisation targets, and the suggested
 * workflow's source (`suggestTools`, weighted by measured history where it exists,
 * written by `writeSuggestedWorkflow`), checked before it is shown: a tool whose step
 * does not check clean is left out and the suggestion made again without it.
 */
import * as path from 'node:path';
import { URI } from 'langium';
import type { History } from '../engine/state/index.js';
import type { OptimizationTarget, ToolDescriptor } from '../engine/model/index.js';
import { suggestTools, usable, type Suggestion } from '../engine/insight/index.js';
import { writeSuggestedWorkflow } from '../language/workflow-writer.js';
import { diagnosticsOf } from '../language/load-files.js';
import type { Workspace } from './workspace.js';

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
export function knownTools(workspace: Workspace): ToolDescriptor[] {
    const index = workspace.services.tools.ToolIndex;
    const seen = new Set<string>();
    return workspace.services.shared.workspace.LangiumDocuments.all.toArray()
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
export async function checkText(workspace: Workspace, text: string): Promise<SuggestionProblem[]> {
    const shared = workspace.services.shared.workspace;
    const uri = URI.file(path.join(workspace.root, '.kmflow-suggested.kmflow'));
    const document = shared.LangiumDocumentFactory.fromString(text, uri);
    shared.LangiumDocuments.addDocument(document);
    try {
        await shared.DocumentBuilder.build([document], { validation: true });
        return diagnosticsOf(document)
            .filter((d) => (d.severity ?? 1) <= 2)
            .map((d) => ({ line: d.range.start.line + 1, severity: (d.severity ?? 1) === 1 ? 'error' as const : 'warning' as const, message: d.message }));
    } finally {
        // Not part of the workspace: the next check, or the editor, must not see it.
        shared.LangiumDocuments.deleteDocument(uri);
    }
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
export async function checkedSuggestion(capabilities: string[], target: OptimizationTarget, tools: ToolDescriptor[], history: History | undefined,
    check: (text: string) => Promise<SuggestionProblem[]>): Promise<CheckedSuggestion> {
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

/**
 * The checked suggestion for `capabilities` from the tools the workspace's loaded files
 * see (the bundled catalogs and what they declare or import), weighted by its history.
 */
export async function suggestIn(workspace: Workspace, capabilities: string[], target: OptimizationTarget): Promise<CheckedSuggestion> {
    const history = await workspace.history().catch(() => undefined);
    return checkedSuggestion(capabilities, target, knownTools(workspace), history, (text) => checkText(workspace, text));
}
