/**
 * What `KM Flow: Suggest Workflow` offers and writes: every capability the registry
 * knows (bundled catalogs `std` and `km`, plus the tools the active file declares or
 * imports) with how many tools provide it, the optimisation targets, and the suggested
 * workflow's source (`suggestTools`, weighted by measured history where it exists,
 * written by `writeSuggestedWorkflow`).
 */
import type { History } from '../../engine/history/types.js';
import type { OptimizationTarget, ToolDescriptor } from '../../engine/model.js';
import { suggestTools, usable, type Suggestion } from '../../engine/suggest.js';
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
