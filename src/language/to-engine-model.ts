/**
 * The bridge from a checked AST to the engine's model: workflows, steps, expressions.
 * The only file that knows both sides; the engine never sees Langium.
 */
import { AstUtils, type LangiumCoreServices } from 'langium';
import type {
    Access, Expr, FailureRule as FailureRuleSpec, InputSpec, InputType, StepSpec, ToolCallSpec, WorkflowSettings, WorkflowSpec,
} from '../engine/model/index.js';
import { DEFAULT_SETTINGS } from '../engine/model/index.js';
import {
    isBinaryExpr, isEachClause, isFailureRule, isListLit, isLiteral, isObjectLit, isRef, isTestDecl, isUnaryExpr,
    type Compensation, type Expression, type FailureRule, type ObjectLit, type Step, type Workflow,
} from './generated/ast.js';
import { entryKey, jsonValue, literalValue } from './static-values.js';
import { isExprPart, templateParts } from './interpolation.js';
import { parseDuration } from './durations.js';
import { normalizeToolId } from './tool-descriptors.js';
import { fileOf, locationIn } from './locations.js';
import { FAILURE_SUBJECT } from '../engine/tools/index.js';
import { isSet, lastOf } from './ast-options.js';

const NO_ENTRIES: ObjectLit['entries'] = [];

/** Converts expressions of one step; `each` names that step's item variable. */
export class ExpressionConverter {
    /** How deep inside `${}` strings the conversion is; embedded expressions are not linked. */
    private embedded = 0;

    constructor(private readonly services: LangiumCoreServices, private readonly eachName?: string) {}

    convert(node: Expression): Expr {
        if (isLiteral(node)) {
            const parts = templateParts(this.services, node);
            if (parts) {
                return {
                    kind: 'template',
                    parts: parts.map((p) => isExprPart(p)
                        ? (p.expr ? this.convertEmbedded(p.expr) : { kind: 'literal', value: null })
                        : p.text),
                };
            }
            return { kind: 'literal', value: literalValue(node) as string | number | boolean | null };
        }
        if (isListLit(node)) {
            return { kind: 'list', items: node.items.map((i) => this.convert(i)) };
        }
        if (isObjectLit(node)) {
            return this.object(node);
        }
        if (isBinaryExpr(node)) {
            return { kind: 'binary', op: node.op, left: this.convert(node.left), right: this.convert(node.right) };
        }
        if (isUnaryExpr(node)) {
            return { kind: 'unary', op: node.op, operand: this.convert(node.operand) };
        }
        if (isRef(node)) {
            const path: Access[] = node.accesses.map((a) =>
                a.index ? { index: this.convert(a.index) } : { field: entryKey(a.field ?? '') });
            if (node.scope) {
                return { kind: 'ref', root: node.scope, name: entryKey(node.name ?? ''), path };
            }
            const name = node.target?.$refText ?? '';
            return { kind: 'ref', root: this.isItem(node, name) ? 'item' : 'step', name, path };
        }
        return { kind: 'literal', value: null };
    }

    private convertEmbedded(node: Expression): Expr {
        this.embedded++;
        try {
            return this.convert(node);
        } finally {
            this.embedded--;
        }
    }

    object(node: ObjectLit | undefined): Expr {
        // A loop, not map and a closure: one of these per step's `with` on every check. The
        // list made at its size: a push grows it to 17 places (10,000 steps: 1.3 MB kept).
        const items = node ? node.entries : NO_ENTRIES;
        const entries = new Array<{ key: string; value: Expr }>(items.length);
        for (let i = 0; i < items.length; i++) {
            const e = items[i]!;
            entries[i] = { key: entryKey(e.key), value: this.convert(e.value) };
        }
        return { kind: 'object', entries };
    }

    private isItem(node: Expression & { target?: { $refText: string; ref?: unknown } }, name: string): boolean {
        // Embedded `${}` expressions are not linked: decide by name.
        const linked = this.embedded === 0 && AstUtils.findRootNode(node).$document ? node.target?.ref : undefined;
        return linked ? isEachClause(linked) || isFailureRule(linked) || isTestDecl(linked) : name === this.eachName;
    }
}

/** A `failure { ... }` block as the engine's rule; its `output` is read as an item. */
export function toFailureRule(services: LangiumCoreServices, rule: FailureRule | undefined): FailureRuleSpec | undefined {
    const when = rule && lastOf(rule.when);
    if (!rule || !when) {
        return undefined;
    }
    const conv = new ExpressionConverter(services, FAILURE_SUBJECT);
    const code = lastOf(rule.code);
    const message = lastOf(rule.message);
    const advice = lastOf(rule.advice);
    return {
        when: conv.convert(when),
        ...(code && { code: conv.convert(code) }),
        ...(message && { message: conv.convert(message) }),
        ...(advice && { advice: conv.convert(advice) }),
        retryable: [...rule.retryable],
    };
}

export function toStepSpec(services: LangiumCoreServices, step: Step, file?: string): StepSpec {
    const each = lastOf(step.each);
    const conv = new ExpressionConverter(services, each?.name);
    const when = lastOf(step.when);
    const timeout = lastOf(step.timeout);
    const retry = lastOf(step.retry);
    const backoff = lastOf(step.backoff);
    const cache = lastOf(step.cache);
    const compensate = lastOf(step.compensate);
    const tool = step.tool ? normalizeToolId(step.tool.$refText) : undefined;
    const withs = conv.object(lastOf(step.with));
    // Made at its size (a push grows a list to 17 places).
    const after = new Array<string>(step.after.length);
    for (let i = 0; i < after.length; i++) {
        after[i] = step.after[i]!.$refText;
    }
    const whenExpr = when ? conv.convert(when) : undefined;
    const eachSpec = each ? { name: each.name, items: conv.convert(each.items) } : undefined;
    const timeoutMs = timeout ? parseDuration(timeout) : undefined;
    const retrySpec = retry !== undefined ? { retries: retry, backoffMs: backoff ? parseDuration(backoff) : 1000 } : undefined;
    const parallelGroup = lastOf(step.parallelGroup);
    const requires = step.requires.slice();
    const ensures = step.ensures.slice();
    const cached = cache === undefined ? undefined : cache === 'on';
    const compensation = compensate ? toCompensation(conv, compensate) : undefined;
    const location = locationIn(step, file);
    // One literal, the same keys in the same order either way: spreading the two flags
    // into it cost more than the rest of the conversion on 10k-step files.
    if (!isSet(step.afterAlways) && !isSet(step.public)) {
        return {
            id: step.name, tool, capability: step.capability, with: withs, after,
            when: whenExpr, each: eachSpec, timeoutMs, retry: retrySpec, parallelGroup, requires, ensures, cache: cached,
            compensate: compensation, location,
        };
    }
    return {
        id: step.name, tool, capability: step.capability, with: withs, after,
        ...(isSet(step.afterAlways) && { afterAlways: true }),
        ...(isSet(step.public) && { public: true }),
        when: whenExpr, each: eachSpec, timeoutMs, retry: retrySpec, parallelGroup, requires, ensures, cache: cached,
        compensate: compensation, location,
    };
}

function toCompensation(conv: ExpressionConverter, c: Compensation): ToolCallSpec {
    return { tool: normalizeToolId(c.tool?.$refText ?? ''), with: conv.object(c.with) };
}

export function toWorkflowSpec(services: LangiumCoreServices, wf: Workflow): WorkflowSpec {
    const mode = lastOf(wf.mode);
    const target = lastOf(wf.target);
    const selection = lastOf(wf.selection);
    const resources = lastOf(wf.resources);
    const monitoring = lastOf(wf.monitoring);
    const cache = lastOf(wf.cache);
    const errors = lastOf(wf.errors);
    const timeout = lastOf(wf.timeout);
    const settings: WorkflowSettings = {
        ...DEFAULT_SETTINGS,
        ...(mode && { mode }),
        ...(target && { target }),
        ...(selection && { selection }),
        ...(resources && { resources }),
        ...(monitoring && { monitoring }),
        ...(cache && { cache }),
        ...(errors && { errors }),
        maxParallel: lastOf(wf.maxParallel),
        timeoutMs: timeout ? parseDuration(timeout) : undefined,
        enterprise: isSet(wf.enterprise),
    } as WorkflowSettings;
    // Every node of the workflow is in its document.
    const file = wf.$cstNode ? fileOf(wf) : undefined;
    const inputs: InputSpec[] = wf.inputs.map((i) => ({
        name: i.name,
        type: i.type as InputType,
        default: i.default ? jsonValue(i.default) : undefined,
        hasDefault: i.default !== undefined,
        ...(i.secret && { secret: true }),
    }));
    return {
        id: wf.name,
        title: wf.title,
        description: lastOf(wf.description),
        inputs,
        settings,
        steps: wf.steps.map((s) => toStepSpec(services, s, file)),
        location: locationIn(wf, file),
    };
}
