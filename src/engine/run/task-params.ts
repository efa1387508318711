/**
 * What a task calls and with what: its tool and connector (the step's, or under
 * `errors recovery` its `compensate` tool's), its parameters evaluated and checked
 * against that tool's schema, and the name its errors give it.
 */
import { evaluate, type EvalScope } from '../model/expressions.js';
import type { Expr } from '../model/model.js';
import { validateParams } from '../model/param-schema.js';
import type { Redactor } from '../security/redaction.js';
import { taintByParams } from '../security/taint.js';
import type { ToolResult } from '../tools/registry.js';
import { ToolError } from '../tools/tool-error.js';
import type { Task } from './run-state.js';

/** What evaluating a task's parameters reads. */
export interface ParamsHost {
    readonly redactor: Redactor;
    readonly scope: EvalScope;
}

/** One call of the task's tool. */
export function callTool(task: Task, params: Record<string, unknown>): Promise<ToolResult> {
    const undo = task.compensation;
    if (undo === undefined) {
        const step = task.step;
        return step.connector.call(step.tool, params, task);
    }
    return undo.connector.call(undo.tool, params, task);
}

/** How errors name the task: `step 'x'`, or `compensation of step 'x'`. */
export function taskLabel(task: Task): string {
    return task.compensation === undefined ? `step '${task.step.spec.id}'` : `compensation of step '${task.step.spec.id}'`;
}

/**
 * The task's parameters, evaluated and checked against its tool's schema before the
 * call: the tool never sees parameters its schema refuses. An empty `with` without a
 * schema skips the evaluation (connectors may own the object they get: a fresh one).
 * Only a step's own parameters can make its output secret (`taint.ts`): a
 * compensation's output is not kept.
 */
export function taskParams(host: ParamsHost, task: Task): Record<string, unknown> {
    const step = task.step;
    const spec = step.spec;
    const undo = task.compensation;
    const tool = undo === undefined ? step.tool : undo.tool;
    const w: Expr = undo === undefined ? spec.with : spec.compensate!.with;
    const schema = tool.inputSchema;
    if (w.kind === 'object' && w.entries.length === 0 && !schema) {
        return {};
    }
    const scope = task.item < 0 ? host.scope : { ...host.scope, items: { [spec.each!.name]: task.itemValue } };
    const params = evaluate(w, scope) as Record<string, unknown>;
    if (undo === undefined && host.redactor.active) {
        taintByParams(step, params, host.redactor);
    }
    const problems = schema ? validateParams(schema, params) : undefined;
    if (problems && problems.length > 0) {
        const list = problems.map((p) => p.message).join('; ');
        throw new ToolError('invalid-param', `${taskLabel(task)}: tool '${tool.id}': ${list}`);
    }
    return params;
}
