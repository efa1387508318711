/**
 * `kmflow/prepare`: what the editor needs before it runs or draws a workflow — its id
 * and steps with their lines, the inputs to ask for, the note on secrets a resume asks
 * again, and the graph message of the webview (with a finished run's measured critical
 * path when given one). `kmflow/checkInput`: whether a typed input value converts, as
 * the run will convert it.
 */
import type { CancellationToken } from 'vscode-languageserver';
import { convertInputs, requiredInputs } from '../../app/index.js';
import type { InputSpec, InputType } from '../../engine/model/index.js';
import { resumeSecretNote } from '../../engine/security/index.js';
import { isDocument } from '../../language/generated/ast.js';
import type { CheckInputParams, InputInfo, PrepareParams, Prepared, Refusal } from '../../shared/lsp-protocol.js';
import type { ServerContext } from '../context.js';
import { workspaceGraph } from '../graph-model.js';
import { orRefusal, prepareTarget, type PreparedTarget } from './target.js';

export function prepareRequest(ctx: ServerContext, params: PrepareParams, token?: CancellationToken): Promise<Prepared | Refusal> {
    return orRefusal(async () => preparedInfo(await prepareTarget(ctx, params, token), params));
}

/** What the client is told about a prepared target. */
export async function preparedInfo(t: PreparedTarget, params: PrepareParams): Promise<Prepared> {
    const { workflow, registry } = t.prepared;
    const asked = params.resume ? workflow.inputs.filter((i) => i.secret) : requiredInputs(workflow.inputs);
    const secretNote = params.resume ? resumeSecretNote(workflow, { secrets: 'from the secret storage', inputs: 'from the prompts' }) : undefined;
    return {
        kind: 'prepared',
        workflow: workflow.id,
        ...(workflow.title !== undefined && { title: workflow.title }),
        file: t.file,
        root: t.root,
        steps: withLastLines(t, workflow.id, workflow.steps.map((s) => ({ id: s.id, tool: s.tool ?? `capability ${s.capability ?? '?'}`, line: s.location?.line }))),
        ask: asked.map(inputInfo),
        ...(secretNote !== undefined && { secretNote }),
        graph: await workspaceGraph(workflow, registry, params.uri, t.root, params.report),
    };
}

/** Each step's last line (1-based) in the document, from its block's end: a debugger's breakpoint anywhere in it is on it. */
function withLastLines(t: PreparedTarget, workflow: string, steps: Prepared['steps']): Prepared['steps'] {
    const root = t.checked.document.parseResult.value;
    const node = isDocument(root) ? root.workflows.find((w) => w.name === workflow) : undefined;
    const ends = new Map((node?.steps ?? []).flatMap((s) => (s.$cstNode ? [[s.name, s.$cstNode.range.end.line + 1] as const] : [])));
    return steps.map((s) => {
        const lastLine = ends.get(s.id);
        return lastLine !== undefined && s.line !== undefined && lastLine >= s.line ? { ...s, lastLine } : s;
    });
}

function inputInfo(i: InputSpec): InputInfo {
    return { name: i.name, type: i.type, hasDefault: i.hasDefault, ...(i.secret && { secret: true }) };
}

export function checkInputRequest(params: CheckInputParams): { problem?: string } {
    const spec: InputSpec = { name: params.input.name, type: params.input.type as InputType, hasDefault: params.input.hasDefault, secret: params.input.secret };
    try {
        convertInputs([spec], { [spec.name]: params.text });
        return {};
    } catch (err) {
        return { problem: (err as Error).message };
    }
}
