/**
 * After each step's header, its predicted duration (`~500ms`) and a ` ★` on the critical
 * path, planned over the tools' declared `performance response_time` (100 ms when a tool
 * declares none); the predicted start is in the hint's tooltip. Plain text, no emoji
 * (an editor without an emoji font draws a box). Off when `inlayHints.enabled` is false.
 */
import { AstUtils, GrammarUtils, type AstNode } from 'langium';
import type { LangiumDocument } from 'langium';
import { AbstractInlayHintProvider, type InlayHintAcceptor } from 'langium/lsp';
import { InlayHintKind, type CancellationToken, type InlayHint, type InlayHintParams } from 'vscode-languageserver';
import { declaredDuration } from '../../engine/graph/graph.js';
import { isStep, isWorkflow, type Step, type Workflow } from '../generated/ast.js';
import type { KmflowServices } from '../kmflow-module.js';
import { formatDuration } from '../durations.js';
import { toWorkflowSpec } from '../to-engine-model.js';
import { predictTimings, type StepTiming } from './step-timing.js';

export class KmflowInlayHintProvider extends AbstractInlayHintProvider {
    protected readonly services: KmflowServices;
    /** One plan per workflow AST; a new parse makes new nodes, so entries never go stale. */
    protected readonly plans = new WeakMap<Workflow, Map<string, StepTiming> | undefined>();

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
        const timing = workflow && this.planOf(workflow)?.get(node.name);
        const anchor = this.headerEnd(node);
        if (!timing || !anchor) {
            return;
        }
        acceptor({
            position: anchor,
            label: inlayLabel(timing),
            tooltip: `predicted start +${formatDuration(timing.startMs)}, duration ${formatDuration(timing.durationMs)}` +
                `${timing.critical ? ', on the critical path' : ''} (declared response times)`,
            kind: InlayHintKind.Type,
            paddingLeft: true,
        });
    }

    protected planOf(workflow: Workflow): Map<string, StepTiming> | undefined {
        if (!this.plans.has(workflow)) {
            const spec = toWorkflowSpec(this.services, workflow);
            const tools = new Map(workflow.steps.map((s) => [s.name, this.services.tools.ToolIndex.toolOf(s)]));
            this.plans.set(workflow, predictTimings(spec, declaredDuration((s) => tools.get(s.id))));
        }
        return this.plans.get(workflow);
    }

    /** The end of `step NAME "title" uses TOOL`, before the body. */
    protected headerEnd(step: Step): { line: number; character: number } | undefined {
        const cst = GrammarUtils.findNodeForProperty(step.$cstNode, step.capability !== undefined ? 'capability' : 'tool');
        return cst?.range.end;
    }
}

/** `~100ms`, and ` ★` on the critical path. */
export function inlayLabel(timing: StepTiming): string {
    return `~${formatDuration(timing.durationMs)}${timing.critical ? ' ★' : ''}`;
}
