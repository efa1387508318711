/**
 * Interim: the extension host calls the application layer in-process. (The language
 * server's custom requests replace this: the extension then asks the server.)
 */
import * as path from 'node:path';
import { URI, type LangiumDocument } from 'langium';
import type { ToolDescriptor } from '../../engine/model/model.js';
import type { KmflowServices } from '../../language/kmflow-module.js';
import { RunSetupError } from '../../engine/run/run-setup.js';
import type { RunReport } from '../../engine/run/run-types.js';
import type { Trust } from '../../engine/security/trust.js';
import {
    checked, placeRefusal, prepareChecked, RunRequestError, runPrepared, Workspace,
    knownTools, type PreparedWorkflowRun as AppPrepared, type RunRequest,
} from '../../app/index.js';

export {
    RunRequestError, convertInputs, requiredInputs, SUGGEST_TARGETS, capabilityChoices, checkedSuggestion, checkText, suggestWorkflow,
    type CheckedSuggestion, type SuggestionProblem,
} from '../../app/index.js';

/** A prepared run and the loaded document behind it. */
export interface PreparedWorkflowRun extends AppPrepared {
    loaded: { document: LangiumDocument; services: KmflowServices; workspace: Workspace };
}

/** Loads `text` as the document `uri` in a workspace of `root`. */
async function loadText(uri: URI, text: string, root?: string): Promise<{ workspace: Workspace; document?: LangiumDocument; problem?: string }> {
    const file = uri.scheme === 'file' ? uri.fsPath : path.join(root ?? process.cwd(), `.untitled-${path.basename(uri.path) || 'workflow'}.kmflow`);
    const workspace = Workspace.open({ root: root ?? path.dirname(file) });
    const loaded = await workspace.load({ sources: [{ file, text }] });
    return { workspace, document: loaded.files[0]?.document, problem: loaded.problems[0]?.message };
}

/** Every tool a document sees (the bundled catalogs when there is none). */
export async function visibleTools(active?: { uri: string; text: string }, root?: string): Promise<{ tools: ToolDescriptor[]; workspace: Workspace }> {
    const { workspace } = await loadText(URI.parse(active?.uri ?? 'untitled:/tools.kmflow'), active?.text ?? 'import "km"\n', root);
    return { tools: knownTools(workspace), workspace };
}

/** What to run: a document's text, which workflow, and optionally the last step. */
export interface RunTarget {
    uri: string;
    text: string;
    workflow?: string;
    toStep?: string;
}

/** Loads, checks and prepares `target` in the workspace `root`; throws RunRequestError when it cannot run. */
export async function prepareWorkflowRun(target: RunTarget, fileLabel = target.uri, root?: string): Promise<PreparedWorkflowRun> {
    const { workspace, document, problem } = await loadText(URI.parse(target.uri), target.text, root);
    if (!document) {
        throw new RunRequestError(`${fileLabel}: ${problem ?? 'cannot be read'}`);
    }
    const prepared = prepareChecked(workspace, checked(fileLabel, document), { workflow: target.workflow, toStep: target.toStep })[0]!;
    return { ...prepared, loaded: { document, services: workspace.services, workspace } };
}

export interface ExecuteOptions extends Omit<RunRequest, 'resume'> {
    root: string;
    trust: Trust;
    inputs?: Record<string, unknown>;
    resume?: string;
}

/** Runs it; throws RunRequestError when the run cannot start. */
export async function executeRun(prepared: PreparedWorkflowRun, options: ExecuteOptions): Promise<RunReport> {
    const workspace = Workspace.open({ root: options.root, trust: options.trust });
    try {
        const { resume, root: _root, trust: _trust, inputs, ...request } = options;
        const [report] = await runPrepared(workspace, [{ prepared, inputs }], {
            ...request, ...(resume !== undefined && { resume: { runId: resume } }),
        });
        return report!;
    } catch (err) {
        throw err instanceof RunSetupError ? placeRefusal(err, prepared.workflow) : err;
    }
}
