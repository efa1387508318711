/**
 * Workflow text prepared and run through the application layer, as every front door
 * does, for tests that need a real prepared workflow, a real run's events or its report
 * (the webview's data, the runs tree's, the optimizer's edits). The editor's own path,
 * through the language server, is tested in test/server and test/lsp.
 */
import * as path from 'node:path';
import type { LangiumDocument } from 'langium';
import { prepareChecked, runPrepared, Workspace, type PreparedWorkflowRun, type RunRequest } from '../../src/app/index.js';
import { DENIED, type Trust } from '../../src/engine/security/trust.js';
import type { RunReport } from '../../src/shared/run-report.js';

/** A file's text: where it is (imports and the root resolve from there) and what it says. */
export interface TextTarget {
    file: string;
    text: string;
}

export interface PreparedText extends PreparedWorkflowRun {
    document: LangiumDocument;
    workspace: Workspace;
}

/** Loads, checks and prepares `target` in a workspace of `root` (default its folder); throws RunRequestError when it cannot run. */
export async function prepareText(target: TextTarget, options: { workflow?: string; toStep?: string; root?: string } = {}): Promise<PreparedText> {
    const workspace = Workspace.open({ root: options.root ?? path.dirname(target.file) });
    const loaded = await workspace.load({ sources: [{ file: target.file, text: target.text }] });
    const checked = loaded.files[0]!;
    const [prepared] = prepareChecked(workspace, checked, { workflow: options.workflow, toStep: options.toStep });
    return { ...prepared!, document: checked.document, workspace };
}

export interface RunTextOptions extends Omit<RunRequest, 'resume'> {
    root?: string;
    trust?: Trust;
    inputs?: Record<string, unknown>;
    resume?: string;
}

/** Runs a prepared workflow in `root` (default the fixtures' folder of the target), in memory unless `durable`. */
export async function runText(prepared: PreparedText, options: RunTextOptions = {}): Promise<RunReport> {
    const { root, trust, inputs, resume, ...request } = options;
    const workspace = Workspace.open({ root: root ?? prepared.workspace.root, trust: trust ?? DENIED });
    const [report] = await runPrepared(workspace, [{ prepared, inputs }], {
        durable: false, ...request, ...(resume !== undefined && { resume: { runId: resume } }),
    });
    return report!;
}
