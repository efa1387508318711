/**
 * Security rules: data of a `standard` tool must not flow into an `enterprise` tool
 * (`security-escalation`), and secrets must not flow into a `standard` tool
 * (`sensitive-data`). Warnings, errors in an `enterprise` workflow.
 */
import type { AstNode, ValidationAcceptor } from 'langium';
import { referencedSteps } from '../../engine/model/index.js';
import type { StepSpec } from '../../engine/model/index.js';
import { isLiteral, isObjectLit, isRef, Literal, type Expression, type ObjectLit, type Step } from '../generated/ast.js';
import { Codes } from '../diagnostic-codes.js';
import { isExprPart, templateParts } from '../interpolation.js';
import { entryKey } from '../static-values.js';
import type { WorkflowContext } from './workflow-context.js';
import { lastOf } from '../ast-options.js';
import { childrenOf } from '../incremental/fast-traversal.js';

/** Parameter names that usually carry credentials. */
const SENSITIVE_NAME = /^(password|passwd|passphrase|pass|token|secret|api[_-]?key|key|access[_-]?key|private[_-]?key|auth|authorization|credentials?|client[_-]?secret)$|[_-](password|token|secret|key)$/i;

export function isSensitiveName(name: string): boolean {
    return SENSITIVE_NAME.test(name);
}

export function checkSecurity(ctx: WorkflowContext, accept: ValidationAcceptor): void {
    const severity = ctx.spec.settings.enterprise ? 'error' : 'warning';
    checkEscalation(ctx, severity, accept);
    for (const step of ctx.workflow.steps) {
        const tool = ctx.toolOf(step);
        const withNode = lastOf(step.with);
        if (tool?.security === 'standard' && withNode) {
            checkSensitive(ctx, step, tool.id, withNode, severity, accept);
        }
    }
}

/** Steps whose output a step reads, directly or through other steps' references. */
function dataSources(specs: Map<string, StepSpec>, id: string): Set<string> {
    const seen = new Set<string>();
    const queue = [id];
    while (queue.length > 0) {
        const spec = specs.get(queue.pop()!);
        if (!spec) {
            continue;
        }
        const refs = new Set<string>();
        referencedSteps(spec.with, refs);
        referencedSteps(spec.when, refs);
        referencedSteps(spec.each?.items, refs);
        for (const ref of refs) {
            if (!seen.has(ref) && ref !== id) {
                seen.add(ref);
                queue.push(ref);
            }
        }
    }
    return seen;
}

function checkEscalation(ctx: WorkflowContext, severity: 'error' | 'warning', accept: ValidationAcceptor): void {
    // The steps' specs by id, made at the first enterprise tool: most workflows have none.
    let specs: Map<string, StepSpec> | undefined;
    for (const step of ctx.workflow.steps) {
        const tool = ctx.toolOf(step);
        if (tool?.security !== 'enterprise') {
            continue;
        }
        specs ??= new Map(ctx.spec.steps.map((s) => [s.id, s]));
        for (const sourceId of dataSources(specs, step.name)) {
            const source = ctx.steps.get(sourceId);
            const sourceTool = source && ctx.toolOf(source);
            if (sourceTool?.security === 'standard') {
                accept(severity, `output of step '${sourceId}' (tool '${sourceTool.id}', security standard) flows into ` +
                    `enterprise tool '${tool.id}'`, {
                    node: step, property: 'tool', code: Codes.SecurityEscalation,
                    data: { code: Codes.SecurityEscalation, name: sourceId },
                });
                break;
            }
        }
    }
}

function checkSensitive(ctx: WorkflowContext, step: Step, toolId: string, withNode: ObjectLit,
    severity: 'error' | 'warning', accept: ValidationAcceptor): void {
    for (const entry of withNode.entries) {
        const key = entryKey(entry.key);
        const secret = secretIn(ctx, entry.value);
        if (secret) {
            accept(severity, `secret '${secret}' flows into parameter '${key}' of '${toolId}', a standard-security tool`, {
                node: entry.value, code: Codes.SensitiveData, data: { code: Codes.SensitiveData },
            });
        } else if (isSensitiveName(key)) {
            accept(severity, `parameter '${key}' looks like a credential and goes to '${toolId}', a standard-security tool`, {
                node: entry, property: 'key', code: Codes.SensitiveData, data: { code: Codes.SensitiveData },
            });
        }
        if (isObjectLit(entry.value)) {
            checkSensitive(ctx, step, toolId, entry.value, severity, accept);
        }
    }
}

/** The name of a secret an expression reads, including inside `${}` strings. */
function secretIn(ctx: WorkflowContext, expr: Expression | undefined): string | undefined {
    // A broken document (`message: ` with nothing after) has entries without a value.
    if (!expr) {
        return undefined;
    }
    const found = secretUnder(ctx, expr, expr);
    return found === NESTED_OBJECT ? undefined : found;
}

/** Where the walk under an expression stops at an object literal: its entries are checked on their own. */
const NESTED_OBJECT = Symbol('nested object');

/**
 * The walk of `secretIn`, in AstUtils.streamAst's order (pre-order, each node's children
 * as fast-traversal's childrenOf gives them) without a stream and iterator per node: the
 * first secret read, or NESTED_OBJECT at the first object literal below `root`, which ends
 * the search.
 */
function secretUnder(ctx: WorkflowContext, node: AstNode, root: Expression): string | typeof NESTED_OBJECT | undefined {
    if (isObjectLit(node) && node !== root) {
        return NESTED_OBJECT;
    }
    if (isRef(node) && node.scope === 'secret') {
        return entryKey(node.name ?? '');
    }
    if (isLiteral(node)) {
        for (const part of templateParts(ctx.services, node) ?? []) {
            if (isExprPart(part) && part.expr) {
                const found = secretIn(ctx, part.expr);
                if (found) {
                    return found;
                }
            }
        }
    }
    if (node.$type === Literal.$type) {
        // A literal holds no nodes (a string's `${}` parts are parsed apart, above): nothing under it to walk.
        return undefined;
    }
    for (const child of childrenOf(node)) {
        const found = secretUnder(ctx, child, root);
        if (found !== undefined) {
            return found;
        }
    }
    return undefined;
}
