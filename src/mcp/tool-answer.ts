/**
 * One call of `km_ecosystem_orchestrator`, from its arguments to the MCP answer: bounds,
 * then the schema, then the operation. Answers are JSON text content plus the same
 * object as `structuredContent`; a run that did not succeed is `isError: true` with its
 * report; problems are `isError: true` with one line each. Nothing internal reaches the
 * caller: an unexpected exception answers "internal error; see the server's log" and
 * its detail goes to the log (stderr) only.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { validateParams } from '../engine/model/index.js';
import { argumentLimitProblems } from './input-limits.js';
import { performOperation, type OperationContext } from './operations.js';
import { INPUT_SCHEMA, type OrchestratorArgs } from './orchestrator-args.js';
import type { PathDiagnostic } from './seed-dictionary-definition.js';

/** What a caller reads when something went wrong inside the server. */
export const INTERNAL_ERROR = 'internal error; see the server\'s log';

/** An error answer: one line per problem; a dictionary definition's also as `{diagnostics: [{path, severity, code, message}]}`. */
export function errorResult(lines: string[], diagnostics?: PathDiagnostic[]): CallToolResult {
    return { isError: true, content: [{ type: 'text', text: lines.join('\n') }], ...(diagnostics ? { structuredContent: { diagnostics } } : {}) };
}

function operationOf(args: Record<string, unknown>): string {
    return typeof args.operation === 'string' ? args.operation.slice(0, 40) : 'call';
}

export async function answerCall(args: Record<string, unknown>, ctx: OperationContext): Promise<CallToolResult> {
    try {
        const tooLarge = argumentLimitProblems(args);
        if (tooLarge.length > 0) {
            return errorResult(tooLarge);
        }
        const problems = validateParams(INPUT_SCHEMA, args);
        if (problems.length > 0) {
            return errorResult(problems.map((p) => `invalid arguments: ${p.message}`));
        }
        const result = await performOperation(args as unknown as OrchestratorArgs, ctx);
        if (!result.ok) {
            return errorResult(result.lines, result.diagnostics);
        }
        return {
            ...(result.failed ? { isError: true } : {}),
            content: [{ type: 'text', text: JSON.stringify(result.value, null, 2) }],
            structuredContent: result.value,
        };
    } catch (err) {
        // An engine bug must not take the server down, nor tell the caller about the host.
        ctx.log(`${operationOf(args)}: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        return errorResult([`${operationOf(args)} failed: ${INTERNAL_ERROR}`]);
    }
}
