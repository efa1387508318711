/**
 * Code lenses: over a workflow `Run | Debug | Plan | Graph | Analyze | ~700ms critical path`, one
 * row, the last its predicted critical path (`StepTimings`: the estimates and path the
 * inlay hints, `plan` and the graph show) saying where its steps' estimates come from
 * (it opens the plan); over a step `Run to here` only when the `lenses.steps` setting is
 * on (off by default: a lens row per step doubles a file's height); over a `test` block
 * `Run Test | Debug Test`. The client runs the commands with `[uri, workflowName]`,
 * `[uri, workflowName, stepName]` or, for a test, `[uri, testTitle]`.
 */
import type { LangiumDocument } from 'langium';
import type { CodeLensProvider } from 'langium/lsp';
import type { CodeLens, CodeLensParams, Range } from 'vscode-languageserver';
import { formatDuration } from '../../shared/duration-format.js';
import { isDocument, type Document } from '../generated/ast.js';
import type { KmflowServices } from '../kmflow-module.js';
import type { WorkflowTiming } from './step-timing.js';

/** The command ids the client registers (`KM Flow:` palette entries). */
export const KmflowCommands = {
    RunWorkflow: 'kmflow.runWorkflow',
    DebugWorkflow: 'kmflow.debugWorkflow',
    Plan: 'kmflow.plan',
    ShowGraph: 'kmflow.showGraph',
    Analyze: 'kmflow.analyze',
    RunToStep: 'kmflow.runToStep',
    RunTest: 'kmflow.runTest',
    DebugTest: 'kmflow.debugTest',
} as const;

const TEST_LENSES: Array<[string, string]> = [
    ['Run Test', KmflowCommands.RunTest],
    ['Debug Test', KmflowCommands.DebugTest],
];

const WORKFLOW_LENSES: Array<[string, string]> = [
    ['Run', KmflowCommands.RunWorkflow],
    ['Debug', KmflowCommands.DebugWorkflow],
    ['Plan', KmflowCommands.Plan],
    ['Graph', KmflowCommands.ShowGraph],
    ['Analyze', KmflowCommands.Analyze],
];

export class KmflowCodeLensProvider implements CodeLensProvider {
    protected readonly services: KmflowServices;

    constructor(services: KmflowServices) {
        // Every lens is computed from the parse tree of the request's document and the settings.
        this.services = services;
    }

    async provideCodeLens(document: LangiumDocument, _params: CodeLensParams): Promise<CodeLens[] | undefined> {
        const root = document.parseResult.value;
        if (!isDocument(root)) {
            return [];
        }
        const { stepLenses } = await this.services.settings.Editor.current();
        const uri = document.uri.toString();
        const lenses: CodeLens[] = [];
        for (const workflow of (root as Document).workflows) {
            const range = headerRange(workflow.$cstNode?.range);
            if (!range || !workflow.name) {
                continue;
            }
            for (const [title, command] of WORKFLOW_LENSES) {
                lenses.push({ range, command: { title, command, arguments: [uri, workflow.name] } });
            }
            const timing = this.services.timing.Steps.of(workflow);
            if (timing) {
                lenses.push({ range, command: { title: criticalPathTitle(timing), command: KmflowCommands.Plan, arguments: [uri, workflow.name] } });
            }
            for (const step of stepLenses ? workflow.steps : []) {
                const stepRange = headerRange(step.$cstNode?.range);
                if (stepRange && step.name) {
                    lenses.push({
                        range: stepRange,
                        command: { title: 'Run to here', command: KmflowCommands.RunToStep, arguments: [uri, workflow.name, step.name] },
                    });
                }
            }
        }
        for (const test of (root as Document).tests) {
            const range = headerRange(test.$cstNode?.range);
            if (range && test.title) {
                lenses.push(...TEST_LENSES.map(([title, command]) => ({ range, command: { title, command, arguments: [uri, test.title] } })));
            }
        }
        return lenses;
    }
}

/**
 * `~700ms critical path (measured)`: the predicted critical path's length and where the
 * estimates of its steps come from (`2 of 3 measured` when mixed).
 */
export function criticalPathTitle(timing: WorkflowTiming): string {
    const sources = timing.criticalPath.steps.map((id) => timing.steps.get(id)?.estimate.source);
    const measured = sources.filter((s) => s === 'measured').length;
    const same = sources.every((s) => s === sources[0]);
    const from = same ? (sources[0] ?? 'default')
        : measured > 0 ? `${measured} of ${sources.length} measured` : 'declared and default';
    return `~${formatDuration(timing.criticalPath.lengthMs)} critical path (${from})`;
}

/** The first line of a node: where editors draw a lens. */
function headerRange(range: Range | undefined): Range | undefined {
    return range && { start: range.start, end: { line: range.start.line, character: range.start.character } };
}
