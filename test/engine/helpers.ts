/**
 * Builders for hand-made workflows and a scriptable fake connector, shared by the
 * engine tests.
 */
import { sleep } from '../../src/engine/run/clock.js';
import { DEFAULT_SETTINGS, type Expr, type StepSpec, type ToolDescriptor, type WorkflowSettings, type WorkflowSpec } from '../../src/engine/model/model.js';
import type { Connector, ToolContext } from '../../src/engine/tools/registry.js';
import { ToolRegistry } from '../../src/engine/tools/registry.js';

export const lit = (value: string | number | boolean | null): Expr => ({ kind: 'literal', value });

export const obj = (entries: Record<string, Expr> = {}): Expr => ({
    kind: 'object',
    entries: Object.entries(entries).map(([key, value]) => ({ key, value })),
});

/** `ref('a', 'output', 'x')` is `a.output.x`; roots other than step via `root`. */
export const ref = (name: string, ...fields: string[]): Expr => ({ kind: 'ref', root: 'step', name, path: fields.map((field) => ({ field })) });

export const root = (r: 'input' | 'env' | 'secret' | 'item', name: string, ...fields: string[]): Expr => ({
    kind: 'ref',
    root: r,
    name,
    path: fields.map((field) => ({ field })),
});

export const bin = (op: Extract<Expr, { kind: 'binary' }>['op'], left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right });

export function step(id: string, tool: string, params: Record<string, Expr> = {}, extra: Partial<StepSpec> = {}): StepSpec {
    return { id, tool, with: obj(params), after: [], requires: [], ensures: [], ...extra };
}

export function workflow(steps: StepSpec[], settings: Partial<WorkflowSettings> = {}, extra: Partial<WorkflowSpec> = {}): WorkflowSpec {
    return { id: 'wf', inputs: [], settings: { ...DEFAULT_SETTINGS, ...settings }, steps, ...extra };
}

export function tool(id: string, extra: Partial<ToolDescriptor> = {}): ToolDescriptor {
    return {
        id,
        capabilities: [],
        dependsOn: [],
        resources: {},
        performance: {},
        integrates: [],
        security: 'standard',
        cacheable: false,
        readOnly: false,
        via: { server: 'fake', tool: id },
        source: 'declared',
        ...extra,
    };
}

export type Handler = (params: Record<string, unknown>, ctx: ToolContext) => Promise<unknown> | unknown;

/** A connector whose tools are functions; records calls, order and concurrency. */
export class FakeConnector implements Connector {
    readonly calls: Array<{ tool: string; params: Record<string, unknown>; at: number }> = [];
    readonly started: string[] = [];
    running = 0;
    maxRunning = 0;
    /** Peak summed demand per resource, from the tools' `resources`. */
    readonly peak = new Map<string, number>();
    private readonly held = new Map<string, number>();

    constructor(private readonly handlers: Record<string, Handler> = {}) {}

    async call(t: ToolDescriptor, params: Record<string, unknown>, ctx: ToolContext) {
        const handler = this.handlers[t.via!.tool] ?? this.handlers['*'];
        this.calls.push({ tool: t.id, params, at: ctx.clock?.now() ?? Date.now() });
        this.started.push(ctx.stepId ?? t.id);
        this.running++;
        this.maxRunning = Math.max(this.maxRunning, this.running);
        for (const [r, amount] of Object.entries(t.resources)) {
            const now = (this.held.get(r) ?? 0) + amount;
            this.held.set(r, now);
            this.peak.set(r, Math.max(this.peak.get(r) ?? 0, now));
        }
        try {
            const output = handler ? await handler(params, ctx) : null;
            return { output };
        } finally {
            this.running--;
            for (const [r, amount] of Object.entries(t.resources)) {
                this.held.set(r, (this.held.get(r) ?? 0) - amount);
            }
        }
    }

    async close() {}
}

/** A handler that waits `params.ms` on the run's clock (abortable). */
export const wait: Handler = async (params, ctx) => {
    await sleep(ctx.clock!, Number(params.ms ?? 0), ctx.signal);
    return { ms: params.ms };
};

export function setup(tools: ToolDescriptor[], handlers: Record<string, Handler>) {
    const connector = new FakeConnector(handlers);
    return { connector, registry: new ToolRegistry(tools), connectors: new Map([['fake', connector as Connector]]) };
}
