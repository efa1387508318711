/**
 * The first steps of most `kmflow/…` requests: find the document, wait until it is
 * validated, check it and prepare its workflow through the application layer; a
 * RunRequestError (errors in the file, no such workflow or step, a bad input) becomes a
 * Refusal the client shows as is, with the problems placed in the file.
 */
import { isOperationCancelled } from 'langium';
import type { CancellationToken } from 'vscode-languageserver';
import { prepareChecked, RunRequestError, type PreparedWorkflowRun } from '../../app/index.js';
import type { RunSetupError } from '../../engine/run/index.js';
import type { Refusal, TargetParams } from '../../shared/lsp-protocol.js';
import { openTarget, type OpenTarget, type ServerContext } from '../context.js';

/** A validated document and its prepared workflow. */
export interface PreparedTarget extends OpenTarget {
    prepared: PreparedWorkflowRun;
}

/** Opens and prepares the target's workflow; throws RunRequestError when it cannot run. */
export async function prepareTarget(ctx: ServerContext, params: TargetParams, token?: CancellationToken): Promise<PreparedTarget> {
    let target: OpenTarget;
    try {
        target = await openTarget(ctx, params.uri, token);
    } catch (err) {
        if (isOperationCancelled(err)) {
            throw err;
        }
        throw new RunRequestError((err as Error).message, 'unreadable');
    }
    const [prepared] = prepareChecked(target.workspace, target.checked, { workflow: params.workflow, toStep: params.toStep });
    return { ...target, prepared: prepared! };
}

/** The refusal a RunRequestError (or the engine's RunSetupError) stands for. */
export function refusalOf(err: RunRequestError | RunSetupError): Refusal {
    const problems = err instanceof RunRequestError ? err.problems.map((p) => ({ ...p })) : [];
    return { kind: 'refused', message: err.message, ...(err.code !== undefined && { code: err.code }), problems };
}

/** Runs `answer`; a RunRequestError it throws is answered as a Refusal, anything else fails the request. */
export async function orRefusal<T>(answer: () => Promise<T>): Promise<T | Refusal> {
    try {
        return await answer();
    } catch (err) {
        if (err instanceof RunRequestError) {
            return refusalOf(err);
        }
        throw err;
    }
}
