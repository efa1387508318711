/**
 * From an editor's document to a runnable workflow: load and check it, pick the
 * workflow, cut it down for "Run to here", and convert the inputs the user typed.
 * Failures are `RunRequestError`s with a one-line message the UI shows as is.
 */
import type { InputSpec } from '../../engine/model/model.js';
import { parseInputArg, prepareRun, type PreparedRun } from '../../language/prepare-run.js';
import type { RunProblem } from './failure-notice.js';
import { loadWorkflowText, type LoadedWorkflow } from './workflow-loader.js';
import { subWorkflowTo } from './sub-workflow.js';

/** Why a run cannot start; the message is meant for the user. */
export class RunRequestError extends Error {
    /**
     * `code`: the engine's RunSetupError code behind it, if any (`no-journal`,
     * `resume-mismatch`, `missing-secret`...); `problems`: where in the file, first first.
     */
    constructor(message: string, readonly code?: string, readonly problems: readonly RunProblem[] = []) {
        super(message);
    }
}

/** What to run: a document's text, which workflow, and optionally the last step. */
export interface RunTarget {
    uri: string;
    text: string;
    workflow?: string;
    toStep?: string;
}

/** A checked, prepared run and the loaded document behind it. */
export interface PreparedWorkflowRun extends PreparedRun {
    loaded: LoadedWorkflow;
    /** The step that "Run to here" stops at, if any. */
    toStep?: string;
}

/** Loads, checks and prepares `target`; throws RunRequestError when it cannot run. */
export async function prepareWorkflowRun(target: RunTarget, fileLabel = target.uri): Promise<PreparedWorkflowRun> {
    const loaded = await loadWorkflowText(target.uri, target.text);
    if (loaded.errors.length > 0) {
        const first = loaded.errors[0]!;
        const more = loaded.errors.length > 1 ? ` (and ${loaded.errors.length - 1} more)` : '';
        throw new RunRequestError(`${fileLabel}:${first.line}:${first.column}: ${first.code}: ${first.message}${more}; fix the errors first`,
            'check-errors', loaded.errors);
    }
    let prepared: PreparedRun;
    try {
        prepared = prepareRun(loaded.services, loaded.document, target.workflow);
    } catch (err) {
        throw new RunRequestError(`${fileLabel}: ${(err as Error).message}`);
    }
    if (target.toStep !== undefined) {
        try {
            prepared = { ...prepared, workflow: subWorkflowTo(prepared.workflow, target.toStep) };
        } catch (err) {
            throw new RunRequestError((err as Error).message);
        }
    }
    return { ...prepared, loaded, toStep: target.toStep };
}

/** The inputs a run must be given: declared without a default. */
export function requiredInputs(inputs: readonly InputSpec[]): InputSpec[] {
    return inputs.filter((i) => !i.hasDefault);
}

/** Converts typed `NAME=VALUE` texts to typed input values (RunRequestError on a bad one). */
export function convertInputs(inputs: InputSpec[], given: Record<string, string>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, text] of Object.entries(given)) {
        try {
            const [key, value] = parseInputArg(inputs, `${name}=${text}`);
            out[key] = value;
        } catch (err) {
            throw new RunRequestError((err as Error).message.replace('--input takes', 'an input takes'));
        }
    }
    return out;
}
