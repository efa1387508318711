/**
 * Failure inside a normal result. FastMCP tools (the Keyboard Maestro server's among
 * them) answer a failed call with an ordinary result whose structured content reads
 * `{"success": false, "error": {"code", "message", "recovery_suggestion"}}`; MCP's
 * `isError` stays unset. A `failure { ... }` rule (on the tool, else on its server) says
 * how to read such an answer, and this turns it into the ToolError it really is.
 */
import { evaluate, stringify, truthy, type EvalScope } from '../../model/expressions.js';
import type { FailureRule } from '../../model/model.js';
import { ToolError } from '../tool-error.js';

/** The item name a rule's expressions read the output by (`output.error.code`). */
export const FAILURE_SUBJECT = 'output';

const NO_STEPS = new Map();

function scopeOf(output: unknown): EvalScope {
    return { steps: NO_STEPS, inputs: {}, env: {}, secrets: {}, items: { [FAILURE_SUBJECT]: output } };
}

function text(rule: FailureRule, field: 'code' | 'message' | 'advice', scope: EvalScope): string | undefined {
    const expr = rule[field];
    if (!expr) {
        return undefined;
    }
    const value = evaluate(expr, scope);
    const out = stringify(value).trim();
    return out === '' ? undefined : out;
}

/**
 * Throws the ToolError `output` stands for under `rule`, or returns when the call
 * succeeded. The code defaults to `tool-error`; the message to the output itself.
 */
export function checkFailureRule(rule: FailureRule | undefined, output: unknown, toolId: string): void {
    if (!rule) {
        return;
    }
    const scope = scopeOf(output);
    let failed: boolean;
    try {
        failed = truthy(evaluate(rule.when, scope));
    } catch {
        // A rule that cannot read this output (an unexpected shape) does not fail the call.
        return;
    }
    if (!failed) {
        return;
    }
    const code = text(rule, 'code', scope) ?? 'tool-error';
    const message = text(rule, 'message', scope) ?? `the tool reported failure: ${stringify(output).slice(0, 500)}`;
    const advice = text(rule, 'advice', scope);
    const error = output !== null && typeof output === 'object' ? (output as { error?: unknown }).error : undefined;
    throw new ToolError(code, `${toolId}: ${message}`, {
        retryable: rule.retryable.includes(code),
        ...(advice !== undefined && { advice }),
        ...(error !== null && typeof error === 'object' && !Array.isArray(error) && { details: error as Record<string, unknown> }),
    });
}
