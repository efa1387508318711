/**
 * Checks of what steps ask of their tools: a provider for `uses capability`, parameters
 * that fit the tool's JSON Schema, resources that fit the pool; and of declarations.
 */
import type { AstNode, ValidationAcceptor } from 'langium';
import { validateParams, type ParamError } from '../../engine/model/index.js';
import { POOL_CAPACITY } from '../../engine/run/index.js';
import { isRunnable, type JsonSchema, type ToolDescriptor } from '../../engine/model/index.js';
import {
    isListLit, isObjectLit, type Compensation, type Expression, type ObjectLit, type Step, type ToolDecl,
} from '../generated/ast.js';
import { Codes } from '../diagnostic-codes.js';
import { DYNAMIC, entryKey, staticValue } from '../static-values.js';
import type { WorkflowContext } from './workflow-context.js';
import { lastOf } from '../ast-options.js';

export function checkStepTools(ctx: WorkflowContext, accept: ValidationAcceptor): void {
    const document = ctx.workflow.$container.$document!;
    const capacity = POOL_CAPACITY[ctx.spec.settings.resources];
    for (const step of ctx.workflow.steps) {
        if (step.capability !== undefined) {
            const providers = ctx.services.tools.ToolIndex.providers(document, step.capability);
            if (!providers.some(isRunnable)) {
                const listed = providers.map((t) => `${t.id} (${t.status})`).join(', ');
                accept('error', providers.length === 0
                    ? `no tool provides the capability '${step.capability}'`
                    : `no runnable tool provides the capability '${step.capability}': only ${listed}`, {
                    node: step, property: 'capability', code: Codes.UnknownCapability, data: { code: Codes.UnknownCapability },
                });
            }
            continue;
        }
        const tool = ctx.toolOf(step);
        if (!tool) {
            continue;
        }
        checkParams(tool, step, lastOf(step.with), accept);
        checkContract(ctx, step, tool, accept);
        const compensate = lastOf(step.compensate);
        if (compensate) {
            const comp = ctx.services.tools.ToolIndex.toolOf(compensate);
            if (comp) {
                checkParams(comp, compensate, compensate.with, accept);
            }
        }
        // for-in: the same own keys in the same order as Object.entries, without an array of pairs a step.
        for (const kind in tool.resources) {
            const amount = tool.resources[kind]!;
            if (amount > capacity) {
                accept('warning', `tool '${tool.id}' asks for ${kind} ${amount} but the ${ctx.spec.settings.resources} ` +
                    `pool holds ${capacity}; the step will run alone`, {
                    node: step, property: 'tool', code: Codes.ResourceOvercommit, data: { code: Codes.ResourceOvercommit },
                });
            }
        }
    }
}

/** Drift of a server tool's schema since the lock; destructive calls a rollback cannot undo. */
function checkContract(ctx: WorkflowContext, step: Step, tool: ToolDescriptor, accept: ValidationAcceptor): void {
    if (tool.source === 'server' && tool.via) {
        const drift = ctx.services.tools.ServerTools.drift(tool.via.server, tool.via.tool);
        if (drift && drift.kind !== 'added') {
            const what = drift.kind === 'removed' ? 'is no longer listed by the server'
                : `changed its ${drift.fields?.length ? drift.fields.join(', ') : 'contract'} since the lock`;
            accept('warning', `tool '${tool.id}' ${what}; check the step, then run 'kmflow lock' to accept the change`, {
                node: step, property: 'tool', code: Codes.SchemaDrift, data: { code: Codes.SchemaDrift },
            });
        }
    }
    const status = toolStatusNote(tool);
    if (status) {
        accept(status.severity, status.message, {
            node: step, property: 'tool', code: Codes.ToolStatus,
            data: { code: Codes.ToolStatus, ...(tool.replacedBy && { replacedBy: replacementId(tool) }) },
        });
    }
    if (tool.destructive && ctx.spec.settings.errors === 'recovery' && !lastOf(step.compensate)) {
        accept('warning', `'${tool.id}' is destructive and this workflow recovers from failures, but the step has no ` +
            "'compensate' to undo it", {
            node: step, property: 'tool', code: Codes.NoCompensation, data: { code: Codes.NoCompensation },
        });
    }
}

/** The id to write instead of `tool`: its replacement, under the same server prefix when it has one. */
function replacementId(tool: ToolDescriptor): string {
    const prefix = tool.source === 'server' && tool.via ? `${tool.via.server}.` : '';
    return `${prefix}${tool.replacedBy!}`;
}

/** What a catalog tool's status means for a run: `spec` never ran, `removed` is gone, `alias` is deprecated. */
function toolStatusNote(tool: ToolDescriptor): { severity: 'warning'; message: string } | undefined {
    const server = tool.via?.server ?? 'its server';
    switch (tool.status) {
        case 'spec':
            return { severity: 'warning', message: `'${tool.id}' is only specified: server '${server}' does not implement it, so running this step fails` };
        case 'removed':
            return {
                severity: 'warning',
                message: `'${tool.id}' was removed from server '${server}', so running this step fails` +
                    (tool.replacedBy ? `; use '${tool.replacedBy}'` : ''),
            };
        case 'alias':
            // Still served, but on its way out: a warning, with a quick fix where there is a successor.
            return { severity: 'warning', message: `'${tool.id}' is deprecated${tool.replacedBy ? `; use '${tool.replacedBy}'` : ''}` };
        default:
            return undefined;
    }
}

/** Validates the static part of a `with` block; run-time values are checked at run time. */
function checkParams(tool: ToolDescriptor, owner: Step | Compensation, withNode: ObjectLit | undefined,
    accept: ValidationAcceptor): void {
    for (const { error, target } of staticSchemaErrors(tool.inputSchema, withNode, {})) {
        accept('error', `${tool.id}: ${error.message}`, {
            ...(target ?? { node: owner, property: withNode ? 'with' : 'tool' }),
            code: Codes.InvalidParam,
            data: { code: Codes.InvalidParam, param: error.param, tool: tool.id },
        } as Parameters<ValidationAcceptor>[2]);
    }
}

/**
 * Where the value `node` written in the source breaks `schema`, as far as it is known
 * before the run: parts that depend on the run (references, interpolations) stand for
 * any value; each error with the node it is about (undefined: `node` is absent). `absent`
 * is what a missing `node` means (`{}` for a `with` block).
 */
export function staticSchemaErrors(schema: JsonSchema | undefined, node: Expression | undefined, absent: unknown):
    Array<{ error: ParamError; target?: { node: AstNode; property?: string } }> {
    if (!schema) {
        return [];
    }
    const dynamicPaths: string[] = [];
    const value = node ? placeholderValue(node, '', dynamicPaths) : absent;
    const errors = validateParams(schema, value);
    // Most `with` blocks fit: no filtering and mapping of an empty list.
    if (errors.length === 0) {
        return [];
    }
    return errors
        .filter((e) => e.keyword === 'additionalProperties'
            || !dynamicPaths.some((p) => e.path === p || e.path.startsWith(`${p}/`)
                || (e.alternatives && p.startsWith(`${e.path}/`))))
        .map((error) => ({ error, target: locate(node, error) }));
}

/**
 * The static value with a placeholder for each run-time part, whose paths are collected.
 * Plain loops: one of these per step's `with` block on every check.
 */
function placeholderValue(node: Expression | undefined, path: string, dynamicPaths: string[]): unknown {
    if (node && isObjectLit(node)) {
        const value: Record<string, unknown> = {};
        for (const entry of node.entries) {
            const key = entryKey(entry.key);
            const item = placeholderValue(entry.value, `${path}/${escapePointer(key)}`, dynamicPaths);
            if (key === '__proto__') {
                // As Object.fromEntries made it: an own property, not the object's prototype.
                Object.defineProperty(value, key, { value: item, writable: true, enumerable: true, configurable: true });
            } else {
                value[key] = item;
            }
        }
        return value;
    }
    if (node && isListLit(node)) {
        const items: unknown[] = [];
        for (let i = 0; i < node.items.length; i++) {
            items.push(placeholderValue(node.items[i], `${path}/${i}`, dynamicPaths));
        }
        return items;
    }
    const value = staticValue(node);
    if (value === DYNAMIC) {
        dynamicPaths.push(path);
        return {};
    }
    return value;
}

function escapePointer(key: string): string {
    if (!key.includes('~') && !key.includes('/')) {
        return key;
    }
    return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The node a schema error is about: the entry's key for unknown keys, else its value. */
function locate(root: Expression | undefined, error: ParamError): { node: AstNode; property?: string } | undefined {
    if (!root) {
        return undefined;
    }
    const segments = error.path.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    let current: Expression = root;
    let found: { node: AstNode; property?: string } = { node: root };
    const unknownKey = error.keyword === 'additionalProperties';
    segments.forEach((segment, i) => {
        if (isObjectLit(current)) {
            const entry = current.entries.find((e) => entryKey(e.key) === segment);
            if (!entry) {
                return;
            }
            const last = i === segments.length - 1;
            found = last && unknownKey ? { node: entry, property: 'key' } : { node: entry.value };
            current = entry.value;
        } else if (isListLit(current) && current.items[Number(segment)]) {
            current = current.items[Number(segment)];
            found = { node: current };
        }
    });
    return found;
}

export function checkToolDecl(decl: ToolDecl, accept: ValidationAcceptor): void {
    decl.resources.forEach((r, index) => {
        if (!(r.amount > 0 && r.amount <= 1)) {
            accept('error', `resource '${r.kind}' is a share of one unit: 0 < amount <= 1, not ${r.amount}`, {
                node: r, property: 'amount', code: Codes.InvalidValue, data: { code: Codes.InvalidValue, index },
            });
        }
    });
    for (const p of decl.performance) {
        if (p.name === 'reliability' && (p.value === undefined || p.value < 0 || p.value > 1)) {
            accept('error', 'reliability is a success rate between 0 and 1', {
                node: p, code: Codes.InvalidValue, data: { code: Codes.InvalidValue },
            });
        }
        if (p.name === 'response_time' && p.duration === undefined) {
            accept('error', 'response_time takes a duration such as 500ms', {
                node: p, code: Codes.InvalidValue, data: { code: Codes.InvalidValue },
            });
        }
    }
}
