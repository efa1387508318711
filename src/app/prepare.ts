/**
 * From a checked file to runnable workflows, the one way for every front door: refuse a
 * file with errors (first error placed), pick the workflow (`--workflow`, the only one,
 * or all of them), cut it down for "Run to here", and convert the inputs given as text.
 * Failures are RunRequestErrors with a one-line message each front door shows as is and
 * the problems placed in the file.
 */
import type { InputSpec, WorkflowSpec } from '../engine/model/index.js';
import { subWorkflowTo } from '../engine/graph/index.js';
import { isDocument } from '../language/generated/ast.js';
import { parseInputArg, prepareRun, type PreparedRun } from '../language/prepare-run.js';
import type { CliDiagnostic } from '../language/diagnostic-format.js';
import type { CheckedFile, Workspace } from './workspace.js';

/** Where in the file a run's problem is (1-based). */
export interface RunProblem {
    line: number;
    column: number;
    code: string;
    message: string;
}

/** Why a run cannot start; the message is meant for the user. */
export class RunRequestError extends Error {
    /**
     * `code`: `check-errors`, `no-workflow`, `unknown-workflow`, `ambiguous-workflow`, a bad
     * input, or the engine's RunSetupError code behind it (`no-journal`, `missing-secret`...);
     * `problems`: where in the file, first first.
     */
    constructor(message: string, readonly code?: string, readonly problems: readonly RunProblem[] = []) {
        super(message);
    }
}

export interface PrepareOptions {
    /** The workflow's name; default the file's only one. */
    workflow?: string;
    /** Every workflow of the file (coordinate), unless `workflow` names one. */
    all?: boolean;
    /** "Run to here": keep this step and what it depends on. */
    toStep?: string;
}

/** A prepared workflow and the step "Run to here" stops at. */
export interface PreparedWorkflowRun extends PreparedRun {
    toStep?: string;
}

/** Prepares the workflow(s) of a checked file; throws RunRequestError when it cannot run. */
export function prepareChecked(workspace: Workspace, file: CheckedFile, options: PrepareOptions = {}): PreparedWorkflowRun[] {
    if (file.errors.length > 0) {
        const first = file.errors[0]!;
        const more = file.errors.length > 1 ? ` (and ${file.errors.length - 1} more)` : '';
        throw new RunRequestError(`${file.file}:${first.line}:${first.column}: ${first.code}: ${first.message}${more}; fix the errors first`,
            'check-errors', file.errors.map(toProblem));
    }
    const root = file.document.parseResult.value;
    const names = options.workflow === undefined && options.all && isDocument(root) && root.workflows.length > 0
        ? root.workflows.map((w) => w.name)
        : [options.workflow];
    return names.map((name) => {
        let prepared: PreparedRun;
        try {
            prepared = prepareRun(workspace.services, file.document, name);
        } catch (err) {
            throw new RunRequestError(`${file.file}: ${(err as Error).message}`, (err as { code?: string }).code);
        }
        if (options.toStep === undefined) {
            return prepared;
        }
        try {
            return { ...prepared, workflow: subWorkflowTo(prepared.workflow, options.toStep), toStep: options.toStep };
        } catch (err) {
            throw new RunRequestError((err as Error).message, 'unknown-step');
        }
    });
}

/** Whether a checked file declares a workflow (a file of servers or tools only is context). */
export function declaresWorkflow(file: CheckedFile): boolean {
    const root = file.document.parseResult.value;
    return isDocument(root) && root.workflows.length > 0;
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
            throw new RunRequestError((err as Error).message.replace('--input takes', 'an input takes'), 'bad-input');
        }
    }
    return out;
}

function toProblem(d: CliDiagnostic): RunProblem {
    return { line: d.line, column: d.column, code: d.code, message: d.message };
}

/**
 * The engine's refusal to start (RunSetupError) placed in the file: resume problems as
 * they are, others at the step they name (`step 'x' …`), else at the workflow.
 */
export function placeRefusal(err: { code: string; message: string }, workflow: WorkflowSpec): RunRequestError {
    if (err.code === 'no-journal' || err.code === 'resume-mismatch') {
        return new RunRequestError(err.message, err.code);
    }
    const named = /\bstep '([^']+)'/.exec(err.message)?.[1];
    const loc = workflow.steps.find((s) => s.id === named)?.location ?? workflow.location;
    const problems = loc ? [{ line: loc.line, column: loc.column, code: err.code, message: err.message }] : [];
    return new RunRequestError(loc ? `line ${loc.line}: ${err.message}` : err.message, err.code, problems);
}
