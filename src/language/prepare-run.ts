/**
 * From a checked document to what `runWorkflow` needs: the workflow's model, a registry
 * of the tools it can see, and the servers the workspace declares. Shared by the CLI,
 * the MCP face and the VS Code extension, so all three run exactly the same thing.
 */
import type { LangiumDocument } from 'langium';
import type { InputSpec, ServerSpec, WorkflowSpec } from '../engine/model/index.js';
import { ToolRegistry } from '../engine/tools/index.js';
import { MAX_VALUE_DEPTH, nestedDeeperThan } from '../engine/run/index.js';
import { isDocument, type Document, type Server, type Workflow } from './generated/ast.js';
import type { KmflowServices } from './kmflow-module.js';
import { workflowSpecOf } from './validation/workflow-context.js';
import { toServerSpec } from './to-server-spec.js';
import { lastOf } from './ast-options.js';

export interface PreparedRun {
    workflow: WorkflowSpec;
    registry: ToolRegistry;
    servers: ServerSpec[];
}

/** Why a document cannot be run; `code` says which usage error it is. */
export class PrepareError extends Error {
    constructor(readonly code: 'no-workflow' | 'unknown-workflow' | 'ambiguous-workflow', message: string) {
        super(message);
    }
}

/** The workflow `name` of a document, or its only one. */
export function selectWorkflow(document: LangiumDocument, name?: string): Workflow {
    const root = document.parseResult.value;
    const workflows = isDocument(root) ? (root as Document).workflows : [];
    if (workflows.length === 0) {
        throw new PrepareError('no-workflow', 'the file declares no workflow');
    }
    if (name !== undefined) {
        const found = workflows.find((w) => w.name === name);
        if (!found) {
            throw new PrepareError('unknown-workflow',
                `no workflow '${name}' in the file (it has: ${workflows.map((w) => w.name).join(', ')})`);
        }
        return found;
    }
    if (workflows.length > 1) {
        throw new PrepareError('ambiguous-workflow',
            `the file has ${workflows.length} workflows (${workflows.map((w) => w.name).join(', ')}); choose one with --workflow`);
    }
    return workflows[0];
}

/** Every `server` declared by the workspace's documents (first declaration of a name wins). */
export function declaredServers(services: KmflowServices): ServerSpec[] {
    const seen = new Map<string, ServerSpec>();
    for (const doc of services.shared.workspace.LangiumDocuments.all) {
        const root = doc.parseResult.value;
        for (const server of isDocument(root) ? (root as Document).servers as Server[] : []) {
            if (server.name && !seen.has(server.name)) {
                seen.set(server.name, toServerSpec(services, server));
            }
        }
    }
    return [...seen.values()];
}

/**
 * The run of a workflow: its engine model is the one its validation built for this parse
 * (workflowSpecOf, read-only), not a second copy (26 MB for 50,000 steps, alive beside the
 * first and the trees at the check's peak).
 */
export function prepareRun(services: KmflowServices, document: LangiumDocument, workflowName?: string): PreparedRun {
    const wf = selectWorkflow(document, workflowName);
    return { workflow: workflowSpecOf(services, wf), registry: workflowRegistry(services, document, wf), servers: declaredServers(services) };
}

/**
 * The tools a workflow of `document` sees: the document's visible tools, and its
 * `SERVER.TOOL` steps as the server lists them (live or locked), so `plan`, `analyze`,
 * `optimize` and the editor's timings see their schemas and hints as `run` will
 * (which lists them again).
 */
export function workflowRegistry(services: KmflowServices, document: LangiumDocument, wf: Workflow): ToolRegistry {
    const index = services.tools.ToolIndex;
    const registry = new ToolRegistry(index.visibleTools(document));
    for (const step of wf.steps) {
        for (const node of [step, lastOf(step.compensate)]) {
            const tool = node && index.toolOf(node);
            if (tool && !registry.has(tool.id)) {
                registry.add(tool);
            }
        }
    }
    return registry;
}

/**
 * Converts `--input name=value` text to the input's declared type: numbers, booleans,
 * and JSON for lists and objects. Throws a one-line message on a bad value.
 */
export function parseInputArg(inputs: InputSpec[], arg: string): [string, unknown] {
    const eq = arg.indexOf('=');
    if (eq <= 0) {
        throw new Error(`--input takes NAME=VALUE, not '${arg}'`);
    }
    const name = arg.slice(0, eq);
    const text = arg.slice(eq + 1);
    const spec = inputs.find((i) => i.name === name);
    if (!spec) {
        throw new Error(`unknown input '${name}' (inputs: ${inputs.map((i) => i.name).join(', ') || 'none'})`);
    }
    // A secret input's value is never quoted back, even a malformed one.
    const quoted = (value: string): string => (spec.secret ? 'the value given (secret: not shown)' : value);
    switch (spec.type) {
        case 'string':
            return [name, text];
        case 'number': {
            const n = Number(text);
            if (text.trim() === '' || !Number.isFinite(n)) {
                throw new Error(`input '${name}' is a number, not ${quoted(`'${text}'`)}`);
            }
            return [name, n];
        }
        case 'boolean':
            if (text !== 'true' && text !== 'false') {
                throw new Error(`input '${name}' is a boolean: true or false, not ${quoted(`'${text}'`)}`);
            }
            return [name, text === 'true'];
        default: {
            let value: unknown;
            try {
                value = JSON.parse(text);
            } catch {
                throw new Error(`input '${name}' is a ${spec.type}: give it as JSON, e.g. ${spec.type === 'list' ? '["a","b"]' : '{"k":1}'}`);
            }
            if (nestedDeeperThan(value)) {
                throw new Error(`input '${name}' is nested more than ${MAX_VALUE_DEPTH} deep`);
            }
            const ok = spec.type === 'list' ? Array.isArray(value) : value !== null && typeof value === 'object' && !Array.isArray(value);
            if (!ok) {
                throw new Error(`input '${name}' is a ${spec.type}, not ${quoted(JSON.stringify(value))}`);
            }
            return [name, value];
        }
    }
}
