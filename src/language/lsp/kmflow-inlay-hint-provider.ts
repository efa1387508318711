/**
 * After each step's header, its predicted start and duration (`⏱ +0ms · 500ms`) and a
 * `★ critical` mark on the critical path, planned over the tools' declared
 * `performance response_time` (100 ms when a tool declares none).
 */
import { AstUtils, GrammarUtils, type AstNode } from 'langium';
import { AbstractInlayHintProvider, type InlayHintAcceptor } from 'langium/lsp';
import { InlayHintKind } from 'vscode-languageserver';
import { declaredDuration } from '../../engine/graph.js';
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
        const label = `⏱ +${formatDuration(timing.startMs)} · ${formatDuration(timing.durationMs)}${timing.critical ? ' ★ critical' : ''}`;
        acceptor({ position: anchor, label, kind: InlayHintKind.Type, paddingLeft: true });
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
