/**
 * The one connector of a test run: every tool call goes through it. A call to a stubbed
 * step (`given STEP …`) or tool (`given tool TOOL …`) gets the stub's next outcome — a
 * value, a failure, a time-out or a disconnect, each exactly as a live server's would
 * reach the step: an MCP tool's answer passes the same McpConnector (output, `failure`
 * rule, `spec`/`removed` refusal) and its output schema as the MCP client checks it; a
 * time-out waits on the run's clock (fake in tests). A call no stub answers goes to the
 * cassette (`replay`) for its server, runs for real when it is a built-in that only
 * computes (`log`, `delay`, `template`, `json.query`, `assert`), and otherwise fails
 * with code `no-stub`, reported to the test.
 */
import { evaluate, validateParams, type EvalScope, type ServerSpec, type ToolDescriptor } from '../../engine/model/index.js';
import {
    abortError, BUILTIN_SERVER, callError, createBuiltinConnector, DEFAULT_CALL_TIMEOUT_MS, McpConnector, mcpError, McpErrorCode, ToolError,
    type Connector, type McpCallResult, type McpCaller, type ToolContext, type ToolResult,
} from '../../engine/tools/index.js';
import type { StubOutcome, StubSpec } from '../../language/to-test-spec.js';

/** The `via` server of tools a test declares without one: only stubs answer them. */
export const STUB_SERVER = 'kmflow-test-stub';

/** Built-ins that only compute, so a test runs them for real. */
const PURE_BUILTINS = new Set(['log', 'delay', 'template', 'json.query', 'assert']);

/** A call nothing answered: the test fails with it. */
export interface UnansweredCall {
    step: string;
    tool: string;
}

export interface StubConnectorOptions {
    stubs: readonly StubSpec[];
    /** What a `returns` value may read (the test's inputs). */
    scope: EvalScope;
    /** The servers declared: their `failure` rule and `timeout`. */
    servers: readonly ServerSpec[];
    /** Connectors answering from the test's cassette, by server. */
    replay?: ReadonlyMap<string, Connector>;
    onUnanswered(call: UnansweredCall): void;
}

/** One stub and the calls it has answered. */
class StubState {
    calls = 0;
    constructor(readonly spec: StubSpec) {}

    /** The outcome of the next call: each outcome for its `count` calls, the last for every call after. */
    next(): StubOutcome {
        let n = this.calls++;
        for (const outcome of this.spec.outcomes) {
            if (n < outcome.count) {
                return outcome;
            }
            n -= outcome.count;
        }
        return this.spec.outcomes[this.spec.outcomes.length - 1]!;
    }
}

export class StubConnector implements Connector {
    private readonly steps = new Map<string, StubState>();
    private readonly tools = new Map<string, StubState>();
    private readonly servers: Map<string, ServerSpec>;
    private builtins: Connector | undefined;

    constructor(private readonly options: StubConnectorOptions) {
        // The last stub of a step or tool counts (the checker warns about the others).
        for (const stub of options.stubs) {
            if (stub.tool !== undefined) {
                this.tools.set(stub.tool, new StubState(stub));
            } else if (stub.step !== undefined) {
                this.steps.set(stub.step, new StubState(stub));
            }
        }
        this.servers = new Map(options.servers.map((s) => [s.name, s]));
    }

    async call(tool: ToolDescriptor, params: Record<string, unknown>, ctx: ToolContext): Promise<ToolResult> {
        const stepId = ctx.stepId ?? '';
        const stub = (ctx.compensating ? undefined : this.steps.get(stepId)) ?? this.tools.get(tool.id);
        const server = tool.via?.server ?? STUB_SERVER;
        if (stub) {
            const outcome = stub.next();
            if (server === BUILTIN_SERVER || server === STUB_SERVER) {
                return { output: await this.answer(outcome, tool, server, ctx) };
            }
            // An MCP tool's stubbed answer takes the path a live one takes.
            const caller: McpCaller = {
                name: server,
                trustProblem: () => undefined,
                close: async () => undefined,
                callTool: () => this.mcpResult(outcome, tool, server, ctx),
            };
            return new McpConnector(caller, this.servers.get(server)?.failure).call(tool, params, ctx);
        }
        const replay = this.options.replay?.get(server);
        if (replay) {
            return replay.call(tool, params, ctx);
        }
        if (server === BUILTIN_SERVER && PURE_BUILTINS.has(tool.via?.tool ?? '')) {
            return (this.builtins ??= createBuiltinConnector()).call(tool, params, ctx);
        }
        this.options.onUnanswered({ step: stepId, tool: tool.id });
        throw new ToolError('no-stub', `step '${stepId}' calls '${tool.id}', which the test does not stub: ` +
            `add \`given ${stepId} returns {…}\` or \`given tool ${tool.id} returns {…}\``, { retryable: false });
    }

    async close(): Promise<void> {
        // Nothing to close: no stub starts anything.
    }

    /** A stubbed MCP answer, checked against the tool's output schema as the MCP client does. */
    private async mcpResult(outcome: StubOutcome, tool: ToolDescriptor, server: string, ctx: ToolContext): Promise<McpCallResult> {
        const value = await this.answer(outcome, tool, server, ctx);
        const structured = value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
        if (tool.outputSchema) {
            const problems = structured ? validateParams(tool.outputSchema, structured) : [];
            const why = !structured ? `Tool ${tool.id} has an output schema but did not return structured content`
                : problems.length > 0 ? `Structured content does not match the tool's output schema: ${problems.map((p) => p.message).join('; ')}` : undefined;
            if (why) {
                throw callError(mcpError(structured ? McpErrorCode.InvalidParams : McpErrorCode.InvalidRequest, why), { server, toolId: tool.id, signal: ctx.signal });
            }
        }
        const text = typeof value === 'string' ? value : JSON.stringify(value) ?? 'null';
        return { content: [{ type: 'text', text }], ...(structured && { structuredContent: structured }) };
    }

    /** The outcome of one call: a value, or the error a live call would end with. */
    private async answer(outcome: StubOutcome, tool: ToolDescriptor, server: string, ctx: ToolContext): Promise<unknown> {
        switch (outcome.kind) {
            case 'returns':
                return evaluate(outcome.value, this.options.scope);
            case 'fails':
                throw new ToolError(outcome.code ?? 'tool-error', outcome.message ?? `${tool.id}: failed (stub)`,
                    outcome.retryable ? { retryable: true } : undefined);
            case 'disconnects':
                throw callError(new Error('Connection closed'), { server, toolId: tool.id, signal: ctx.signal, disconnected: true });
            case 'times-out':
                return this.hang(tool, server, ctx);
        }
    }

    /**
     * A call that never answers: the step's `timeout` ends it (the run aborts the call);
     * without one, the server's `timeout`, else MCP's 10 minutes, on the run's clock.
     */
    private hang(tool: ToolDescriptor, server: string, ctx: ToolContext): Promise<never> {
        return new Promise<never>((_resolve, reject) => {
            const signal = ctx.signal;
            if (signal.aborted) {
                reject(abortError(signal, tool.id));
                return;
            }
            const serverTimeoutMs = this.servers.get(server)?.timeoutMs;
            const limit = ctx.timeoutMs === undefined ? serverTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS : undefined;
            const timer = limit === undefined || !ctx.clock ? undefined : ctx.clock.setTimer(() => {
                signal.removeEventListener('abort', onAbort);
                reject(callError(mcpError(McpErrorCode.RequestTimeout, `Request timed out after ${limit} ms`),
                    { server, toolId: tool.id, signal, serverTimeoutMs }));
            }, limit);
            const onAbort = (): void => {
                if (timer !== undefined) {
                    ctx.clock!.clearTimer(timer);
                }
                reject(abortError(signal, tool.id));
            };
            signal.addEventListener('abort', onAbort, { once: true });
        });
    }
}
