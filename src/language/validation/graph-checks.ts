/**
 * Checks of a workflow's graph: references inside `${}` strings, inputs, `requires`
 * without an `ensures`, and dependency cycles (cycle-checks.ts).
 */
import { AstUtils, type ValidationAcceptor } from 'langium';
import type { Range } from 'vscode-languageserver-types';
import { buildGraph, isCompletionRef } from '../../engine/graph/index.js';
import { forEachRef } from '../../engine/model/index.js';
import { isLiteral, isRef, type Expression, type Step } from '../generated/ast.js';
import { Codes } from '../diagnostic-codes.js';
import { isExprPart, templateParts } from '../interpolation.js';
import { entryKey } from '../static-values.js';
import type { WorkflowContext } from './workflow-context.js';
import { checkCycle } from './cycle-checks.js';
import { lastIndex, lastOf } from '../ast-options.js';
import { allNodes } from '../incremental/fast-traversal.js';

export function checkWorkflowGraph(ctx: WorkflowContext, accept: ValidationAcceptor): void {
    const inputs = new Set(ctx.workflow.inputs.map((i) => i.name));
    for (const step of ctx.workflow.steps) {
        checkExpressions(ctx, step, inputs, accept);
    }
    checkRequires(ctx, accept);
    checkCycle(ctx, accept);
    checkHandlers(ctx, accept);
}

/**
 * A failure handler that can never run: its `when` asks about a step's outcome (`ok`,
 * `status`, `error`) while the step also waits for that step's success (it reads its
 * `output`, or `after` it without `always`), so it is skipped whenever the outcome it
 * asks about is a failure.
 */
function checkHandlers(ctx: WorkflowContext, accept: ValidationAcceptor): void {
    const steps = ctx.spec.steps;
    if (!steps.some((s) => s.when)) {
        return;
    }
    const graph = buildGraph(ctx.spec);
    steps.forEach((spec, i) => {
        const asked = new Set<string>();
        forEachRef(spec.when, (ref) => {
            if (ref.root === 'step' && isCompletionRef(ref)) {
                asked.add(ref.name);
            }
        });
        for (const name of asked) {
            const j = graph.index.get(name);
            if (j === undefined || j === i || graph.completion[i]?.has(j)) {
                continue;
            }
            const node = ctx.steps.get(spec.id);
            if (!node || !lastOf(node.when)) {
                continue;
            }
            accept('warning', `step '${spec.id}' waits for '${name}' to succeed (it reads ${name}.output or is 'after ${name}' ` +
                `without 'always'), so its 'when' never sees '${name}' fail; read ${name}.error instead of ${name}.output, ` +
                `or write 'after ${name} always'`, {
                node: node, property: 'when', index: lastIndex(node.when), code: Codes.UnreachableHandler, data: { code: Codes.UnreachableHandler },
            });
        }
    });
}

function checkExpressions(ctx: WorkflowContext, step: Step, inputs: Set<string>, accept: ValidationAcceptor): void {
    const text = AstUtils.getDocument(step).textDocument;
    const item = lastOf(step.each)?.name;
    for (const node of allNodes(step, true)) {
        if (isRef(node) && node.scope === 'input' && node.name && !inputs.has(entryKey(node.name))) {
            accept('error', `workflow '${ctx.workflow.name}' declares no input '${entryKey(node.name)}'`, {
                node, property: 'name', code: Codes.UnknownInput, data: { code: Codes.UnknownInput },
            });
        }
        if (!isLiteral(node)) {
            continue;
        }
        for (const part of templateParts(ctx.services, node) ?? []) {
            if (!isExprPart(part)) {
                continue;
            }
            const at = (from: number, length: number): Range =>
                ({ start: text.positionAt(from), end: text.positionAt(from + Math.max(length, 1)) });
            if (!part.expr) {
                accept('error', `in '\${${part.source}}': ${part.errors[0]}`, {
                    node, range: at(part.offset - 2, part.source.length + 3), code: Codes.Syntax, data: { code: Codes.Syntax },
                });
                continue;
            }
            for (const inner of AstUtils.streamAst(part.expr as Expression)) {
                if (!isRef(inner) || !inner.$cstNode) {
                    continue;
                }
                const range = at(part.offset + inner.$cstNode.offset, inner.$cstNode.length);
                if (inner.scope === 'input' && inner.name && !inputs.has(entryKey(inner.name))) {
                    accept('error', `workflow '${ctx.workflow.name}' declares no input '${entryKey(inner.name)}'`, {
                        node, range, code: Codes.UnknownInput, data: { code: Codes.UnknownInput },
                    });
                }
                const name = inner.target?.$refText;
                if (name && !ctx.steps.has(name) && name !== item) {
                    accept('error', `'${name}' is not a step of this workflow nor an 'each' variable`, {
                        node, range, code: Codes.UnknownStep, data: { code: Codes.UnknownStep, name },
                    });
                }
            }
        }
    }
}

function checkRequires(ctx: WorkflowContext, accept: ValidationAcceptor): void {
    const ensured = new Set(ctx.workflow.steps.flatMap((s) => s.ensures));
    for (const step of ctx.workflow.steps) {
        step.requires.forEach((fact, index) => {
            if (!ensured.has(fact)) {
                accept('error', `step '${step.name}' requires '${fact}' but no step of the workflow ensures it`, {
                    node: step, property: 'requires', index, code: Codes.UnmetRequires, data: { code: Codes.UnmetRequires },
                });
            }
        });
    }
}
