/**
 * Everything checked before a run starts: inputs, the graph, and a tool with an
 * implementation and a connector for every step. A problem
 * here throws a RunSetupError naming the culprit, and no step runs.
 */
import { BUILTIN_DESCRIPTORS, BUILTIN_SERVER, createBuiltinConnector } from '../tools/builtins/index.js';
import { buildGraph, findCycle, remainingPathLengths, topologicalOrder, type WorkflowGraph } from '../graph/graph.js';
import { estimateMs } from '../insight/estimate.js';
import type { InputSpec, StepSpec, ToolDescriptor, WorkflowSettings, WorkflowSpec } from '../model/model.js';
import type { Connector, ToolRegistry } from '../tools/registry.js';
import { chooseTool, type SelectToolFn } from '../insight/routing.js';

/** Why a run could not start. */
export type RunSetupCode =
    | 'missing-input'
    | 'invalid-input'
    | 'unknown-input'
    | 'unknown-step'
    | 'cycle'
    | 'unknown-tool'
    | 'unknown-capability'
    | 'no-implementation'
    | 'unbound-server'
    | 'no-journal'
    | 'resume-mismatch'
    | 'journal-damaged'
    | 'missing-secret';

/** A run that stops before starting (the CLI's exit 2 territory). */
export class RunSetupError extends Error {
    override readonly name = 'RunSetupError';
    constructor(
        readonly code: RunSetupCode,
        message: string,
    ) {
        super(message);
    }
}

const builtinById = new Map(BUILTIN_DESCRIPTORS.map((d) => [d.id, d]));

function typeOk(spec: InputSpec, value: unknown): boolean {
    switch (spec.type) {
        case 'string':
            return typeof value === 'string';
        case 'number':
            return typeof value === 'number' && Number.isFinite(value);
        case 'boolean':
            return typeof value === 'boolean';
        case 'list':
            return Array.isArray(value);
        case 'object':
            return typeof value === 'object' && value !== null && !Array.isArray(value);
    }
}

/** Input values with defaults applied; throws on a missing, mistyped or unknown input. */
export function resolveInputs(workflow: WorkflowSpec, given: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const known = new Set(workflow.inputs.map((i) => i.name));
    for (const name of Object.keys(given)) {
        if (!known.has(name)) {
            const list = [...known].join(', ') || 'none';
            throw new RunSetupError('unknown-input', `workflow '${workflow.id}' has no input '${name}' (inputs: ${list})`);
        }
    }
    for (const spec of workflow.inputs) {
        const value = Object.prototype.hasOwnProperty.call(given, spec.name) ? given[spec.name] : spec.hasDefault ? spec.default : undefined;
        if (value === undefined) {
            throw new RunSetupError('missing-input', `workflow '${workflow.id}' needs input '${spec.name}' (${spec.type}): pass --input ${spec.name}=...`);
        }
        if (!typeOk(spec, value)) {
            // A secret input's value is never quoted, even a wrong one.
            const got = spec.secret ? `a ${Array.isArray(value) ? 'list' : value === null ? 'null' : typeof value}` : JSON.stringify(value);
            throw new RunSetupError('invalid-input', `input '${spec.name}' must be a ${spec.type}, got ${got}`);
        }
        out[spec.name] = value;
    }
    return out;
}

/**
 * The graph and a topological order, or a RunSetupError for unknown steps and cycles.
 * Kahn's order doubles as the cycle check (a cycle leaves steps out of it); the DFS
 * that names the cycle runs only when there is one.
 */
export function checkedGraph(workflow: WorkflowSpec): { graph: WorkflowGraph; order: number[] } {
    const graph = buildGraph(workflow);
    const bad = graph.unknown[0];
    if (bad) {
        throw new RunSetupError('unknown-step', `step '${bad.step}' refers to '${bad.ref}', which is no step of workflow '${workflow.id}'`);
    }
    let order: number[];
    try {
        order = topologicalOrder(graph);
    } catch {
        const cycle = findCycle(graph) ?? [];
        throw new RunSetupError('cycle', `the steps ${[...cycle, cycle[0]].join(' -> ')} wait for each other`);
    }
    return { graph, order };
}

/**
 * The tool of `uses capability X` under the workflow's `selection`: `manual` takes the
 * first tool declaring it; the others score against the `target` (routing.ts), from
 * declared figures unless `choose` (a router with measured history and live calls,
 * `createRouter`) decides.
 */
export function selectTool(capability: string, registry: ToolRegistry, settings: WorkflowSettings, choose?: SelectToolFn): ToolDescriptor | undefined {
    const candidates = registry.byCapability(capability);
    if (candidates.length === 0) {
        return BUILTIN_DESCRIPTORS.find((d) => d.capabilities.includes(capability));
    }
    return choose ? choose(capability, candidates, settings) : chooseTool(candidates, settings);
}

/** A step's tool: from the registry, else a built-in of that id. */
export function lookupTool(registry: ToolRegistry, id: string): ToolDescriptor | undefined {
    return registry.get(id) ?? builtinById.get(id);
}

/** A tool and the connector that reaches it. */
export interface BoundTool {
    tool: ToolDescriptor;
    connector: Connector;
}

/** Each step's binding, the compensations', and how to choose a capability step's tool again. */
export type BoundTools = BoundTool[] & {
    compensations?: Array<BoundTool | undefined>;
    /**
     * Re-runs the tool choice of a `uses capability` step (what `selection adaptive` does
     * as each such step becomes ready); undefined when the new choice cannot be bound.
     */
    rebind?: (step: StepSpec) => BoundTool | undefined;
};

/**
 * Each step's tool and connector, checked; throws naming the tool or server at fault.
 * `compensations[i]` is step i's `compensate` tool, bound the same way (and checked
 * before the run: a rollback that cannot run must not be found out mid-failure).
 */
export function resolveTools(
    workflow: WorkflowSpec,
    registry: ToolRegistry,
    connectors: ReadonlyMap<string, Connector> | undefined,
    choose?: SelectToolFn,
): BoundTools {
    let builtin: Connector | undefined;
    const connectorFor = (server: string): Connector | undefined => {
        const given = connectors?.get(server);
        if (given || server !== BUILTIN_SERVER) {
            return given;
        }
        return (builtin ??= createBuiltinConnector());
    };
    const bind = (step: StepSpec, tool: ToolDescriptor): BoundTool => {
        if (!tool.via) {
            throw new RunSetupError('no-implementation', `tool '${tool.id}' (step '${step.id}') has no implementation: add \`via SERVER "TOOL"\``);
        }
        const connector = connectorFor(tool.via.server);
        if (!connector) {
            throw new RunSetupError(
                'unbound-server',
                `tool '${tool.id}' (step '${step.id}') runs on server '${tool.via.server}', which is not configured: declare \`server ${tool.via.server} { ... }\``,
            );
        }
        return { tool, connector };
    };
    // Consecutive steps mostly use the same tool: they share its lookup and binding
    // (one object; nobody mutates a BoundTool) instead of two Map lookups and an
    // object each, on every step of 10k-step runs.
    let lastId: string | undefined;
    let lastBound: BoundTool | undefined;
    const bound: BoundTools = workflow.steps.map((step: StepSpec) => {
        let tool: ToolDescriptor | undefined;
        if (step.tool !== undefined) {
            if (step.tool === lastId) {
                return lastBound!;
            }
            tool = lookupTool(registry, step.tool);
            if (!tool) {
                const near = registry.nearest(step.tool);
                throw new RunSetupError('unknown-tool', `step '${step.id}' uses unknown tool '${step.tool}'${near ? ` (did you mean '${near}'?)` : ''}`);
            }
            lastBound = bind(step, tool);
            lastId = step.tool;
            return lastBound;
        } else {
            tool = selectTool(step.capability ?? '', registry, workflow.settings, choose);
            if (!tool) {
                throw new RunSetupError('unknown-capability', `step '${step.id}': no tool provides capability '${step.capability ?? ''}'`);
            }
        }
        return bind(step, tool);
    });
    if (workflow.settings.errors === 'recovery' && workflow.steps.some((s) => s.compensate)) {
        bound.compensations = workflow.steps.map((step) => {
            if (!step.compensate) {
                return undefined;
            }
            const tool = lookupTool(registry, step.compensate.tool);
            if (!tool) {
                throw new RunSetupError('unknown-tool', `step '${step.id}' compensates with unknown tool '${step.compensate.tool}'`);
            }
            return bind(step, tool);
        });
    }
    if (choose) {
        bound.rebind = (step) => {
            try {
                const tool = selectTool(step.capability ?? '', registry, workflow.settings, choose);
                return tool ? bind(step, tool) : undefined;
            } catch {
                // A choice that cannot run here (no connector) keeps the binding the run started with.
                return undefined;
            }
        };
    }
    return bound;
}

/**
 * Ready-queue keys (smaller first): file order in `sequential` mode; otherwise minus
 * the longest remaining path, so the critical path starts first. Durations are the
 * steps' estimates (`estimateStep`: `estimate`'s measured history, else declared, else
 * the default), as `plan` and the editor show them.
 */
export function priorityKeys(
    graph: WorkflowGraph,
    order: number[],
    steps: ReadonlyArray<{ index: number; spec: StepSpec; tool: ToolDescriptor }>,
    sequential: boolean,
    estimate?: (step: StepSpec, tool: ToolDescriptor) => number | undefined,
): Float64Array {
    if (sequential) {
        return Float64Array.from(steps, (s) => s.index);
    }
    const durations = new Float64Array(steps.length);
    for (let i = 0; i < steps.length; i++) {
        const s = steps[i]!;
        durations[s.index] = estimateMs(s.spec, s.tool, estimate);
    }
    return remainingPathLengths(graph, durations, order).map((r) => -r);
}

/** `<workflow>-<UTC time>-<6 hex>`: sortable, readable, unique enough for journals. */
export function defaultRunId(workflow: string, now: number, random: () => number): string {
    const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
    return `${workflow}-${stamp}-${Math.floor(random() * 0xffffff).toString(16).padStart(6, '0')}`;
}
