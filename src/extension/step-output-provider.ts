/**
 * A step's output as a read-only JSON document (`kmflow-output:/RUN_ID/STEP_ID.json`),
 * taken from the run history (secrets already masked by the engine).
 */
import { vscode } from './vscode-api.js';
import type { RunHistory } from './core/run-history.js';

export const OUTPUT_SCHEME = 'kmflow-output';

/** The virtual document of one step's output. */
export class StepOutputProvider implements vscode.TextDocumentContentProvider {
    constructor(private readonly history: RunHistory) {}

    /** The URI of a step's output document. */
    static uriOf(runId: string, stepId: string): vscode.Uri {
        return vscode.Uri.from({ scheme: OUTPUT_SCHEME, path: `/${encodeURIComponent(runId)}/${encodeURIComponent(stepId)}.json` });
    }

    provideTextDocumentContent(uri: vscode.Uri): string {
        const [, runId, file] = uri.path.split('/');
        const stepId = decodeURIComponent((file ?? '').replace(/\.json$/, ''));
        const step = this.history.get(decodeURIComponent(runId ?? ''))?.steps.find((s) => s.id === stepId);
        if (!step) {
            return JSON.stringify({ error: `no step '${stepId}' in run '${runId}'` }, null, 2);
        }
        const shown = { step: step.id, tool: step.tool, status: step.status, attempts: step.attempts, durationMs: step.durationMs, output: step.output ?? null, ...(step.error ? { error: step.error } : {}) };
        return `${JSON.stringify(shown, null, 2)}\n`;
    }
}
