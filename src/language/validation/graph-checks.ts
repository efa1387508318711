/**
 * Checks of a workflow's graph: references inside `${}` strings, inputs, `requires`
 * without an `ensures`, and dependency cycles (cycle-checks.ts).
 */
import { AstUtils, type AstNode, type ValidationAcceptor } from 'langium';
import type { Range } from 'vscode-languageserver-types';
import { buildGraph, isCompletionRef } from '../../engine/graph/index.js';
import { forEachRef } from '../../engine/model/index.js';
import { isRef, type Expression, type Literal, type Ref, type Step } from '../generated/ast.js';
import { Codes } from '../diagnostic-codes.js';
import { isExprPart, templateParts } from '../interpolation.js';
import { entryKey } from '../static-values.js';
import type { WorkflowContext } from './workflow-context.js';
import { checkCycle } from './cycle-checks.js';
import { lastIndex, lastOf } from '../ast-options.js';
import { subtreeOf } from '../incremental/fast-traversal.js';

export function checkWorkflowGraph(ctx: WorkflowContext, accept: ValidationAcceptor): void {
    const inputs = new Set(ctx.workflow.inputs.map((i) => i.name));
    checkStepExpressions(ctx, inputs, accept);
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

/**
 * References to inputs and steps in the steps' expressions and `${}` strings, step by
 * step in walk order. The nodes come from the workflow's walk the linker already made
 * (fast-traversal.ts: each step's nodes in a row, steps in order), not a walk per step;
 * only references and literals are looked at, and only those inside a step.
 */
function checkStepExpressions(ctx: WorkflowContext, inputs: Set<string>, accept: ValidationAcceptor): void {
    const workflow = ctx.workflow;
    let step: Step | undefined;
    let item: string | undefined;
    // Indexed: `for...of`, unoptimised (this runs once a check), makes an iterator result a node.
    const nodes = subtreeOf(workflow);
    for (let i = 0; i < nodes.length; i++) {
        const node = nodes[i]!;
        const type = node.$type;
        if (type === 'Step' && node.$container === workflow) {
            step = node as Step;
            item = lastOf(step.each)?.name;
            continue;
        }
        if ((type !== 'Ref' && type !== 'Literal') || !step || !isUnder(node, step)) {
            continue;
        }
        if (type === 'Ref') {
            checkInputRef(ctx, node as Ref, inputs, accept);
        } else {
            checkTemplate(ctx, node as Literal, inputs, item, accept);
        }
    }
}

/** Whether `node` is inside `ancestor`'s subtree (a few `$container` hops: expressions are shallow). */
function isUnder(node: AstNode, ancestor: AstNode): boolean {
    for (let at = node.$container; at; at = at.$container) {
        if (at === ancestor) {
            return true;
        }
    }
    return false;
}

function checkInputRef(ctx: WorkflowContext, node: Ref, inputs: Set<string>, accept: ValidationAcceptor): void {
    if (node.scope === 'input' && node.name && !inputs.has(entryKey(node.name))) {
        accept('error', `workflow '${ctx.workflow.name}' declares no input '${entryKey(node.name)}'`, {
            node, property: 'name', code: Codes.UnknownInput, data: { code: Codes.UnknownInput },
        });
    }
}

/** The `${}` parts of a string literal: their syntax, and the inputs and steps they read. */
function checkTemplate(ctx: WorkflowContext, node: Literal, inputs: Set<string>, item: string | undefined,
    accept: ValidationAcceptor): void {
    const parts = templateParts(ctx.services, node);
    if (!parts) {
        return;
    }
    const text = AstUtils.getDocument(node).textDocument;
    for (const part of parts) {
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

function checkRequires(ctx: WorkflowContext, accept: ValidationAcceptor): void {
    const steps = ctx.workflow.steps;
    const ensured = new Set<string>();
    for (let i = 0; i < steps.length; i++) {
        const ensures = steps[i]!.ensures;
        for (let k = 0; k < ensures.length; k++) {
            ensured.add(ensures[k]!);
        }
    }
    for (let i = 0; i < steps.length; i++) {
        const step = steps[i]!;
        step.requires.forEach((fact, index) => {
            if (!ensured.has(fact)) {
                accept('error', `step '${step.name}' requires '${fact}' but no step of the workflow ensures it`, {
                    node: step, property: 'requires', index, code: Codes.UnmetRequires, data: { code: Codes.UnmetRequires },
                });
            }
        });
    }
}
