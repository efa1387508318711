/**
 * After each step's header, its estimate (`~420ms`) and a ` ★` on the predicted critical
 * path, from `StepTimings` (measured history where the workspace has it, else the tool's
 * declared `performance response_time`, else the default); the tooltip says which, and
 * the predicted start. Plain text, no emoji (an editor without an emoji font draws a
 * box). Off when `inlayHints.enabled` is false.
 */
import { AstUtils, GrammarUtils, type AstNode } from 'langium';
import type { LangiumDocument } from 'langium';
import { AbstractInlayHintProvider, type InlayHintAcceptor } from 'langium/lsp';
import { InlayHintKind, type CancellationToken, type InlayHint, type InlayHintParams } from 'vscode-languageserver';
import { DEFAULT_STEP_MS, type EstimateSource } from '../../engine/insight/index.js';
import { isStep, isWorkflow, type Step } from '../generated/ast.js';
import type { KmflowServices } from '../kmflow-module.js';
import { formatDuration } from '../../shared/duration-format.js';
import type { StepTiming } from './step-timing.js';

/** How the tooltip names where an estimate comes from. */
export const ESTIMATE_SOURCE_WORDS: Record<EstimateSource, string> = {
    measured: 'measured (median of the recorded runs in .kmflow/metrics)',
    declared: 'declared (the tool\'s performance response_time)',
    default: `default (${formatDuration(DEFAULT_STEP_MS)}: no recorded run, no declared response_time)`,
};

export class KmflowInlayHintProvider extends AbstractInlayHintProvider {
    protected readonly services: KmflowServices;

    constructor(services: KmflowServices) {
        super();
        this.services = services;
    }

    override async getInlayHints(document: LangiumDocument, params: InlayHintParams, cancelToken?: CancellationToken): Promise<InlayHint[] | undefined> {
        if (!(await this.services.settings.Editor.current()).inlayHints) {
            return [];
        }
        return super.getInlayHints(document, params, cancelToken);
    }

    computeInlayHint(node: AstNode, acceptor: InlayHintAcceptor): void {
        if (!isStep(node)) {
            return;
        }
        const workflow = AstUtils.getContainerOfType(node, isWorkflow);
        const timing = workflow && this.services.timing.Steps.of(workflow)?.steps.get(node.name);
        const anchor = this.headerEnd(node);
        if (!timing || !anchor) {
            return;
        }
        acceptor({
            position: anchor,
            label: inlayLabel(timing),
            tooltip: inlayTooltip(timing),
            kind: InlayHintKind.Type,
            paddingLeft: true,
        });
    }

    /** The end of `step NAME "title" uses TOOL`, before the body. */
    protected headerEnd(step: Step): { line: number; character: number } | undefined {
        const cst = GrammarUtils.findNodeForProperty(step.$cstNode, step.capability !== undefined ? 'capability' : 'tool');
        return cst?.range.end;
    }
}

/** `~100ms`, and ` ★` on the critical path. */
export function inlayLabel(timing: StepTiming): string {
    return `~${formatDuration(timing.estimate.ms)}${timing.critical ? ' ★' : ''}`;
}

/** `~420ms measured (...), predicted start +100ms, on the predicted critical path`. */
export function inlayTooltip(timing: StepTiming): string {
    return `~${formatDuration(timing.estimate.ms)} ${ESTIMATE_SOURCE_WORDS[timing.estimate.source]}, predicted start +${formatDuration(timing.startMs)}`
        + `${timing.critical ? ', on the predicted critical path' : ''}`;
}
