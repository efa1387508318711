/**
 * The tool registry (declared, bundled and server-listed tools) and the Connector
 * contract the engine calls tools through. One connector per `via` server name;
 * `builtin` is the in-process one in `builtins/`.
 */
import { distance } from 'fastest-levenshtein';
import type { Clock } from '../run/clock.js';
import { isRunnable, type ToolDescriptor } from '../model/model.js';
import type { Trust } from '../security/trust.js';

/** Progress of a running call (MCP's progress notification shape). */
export interface ToolProgress {
    progress: number;
    total?: number;
    message?: string;
}

/** What a tool call gets besides its parameters. */
export interface ToolContext {
    /** Aborts on step timeout, workflow timeout, fail_fast or cancel: stop the work. */
    signal: AbortSignal;
    /**
     * The step's own timeout (per attempt), when it has one: `signal` aborts when it
     * passes. A connector's default limit (an MCP server's `timeout`) applies only without it.
     */
    timeoutMs?: number;
    /**
     * The largest output the call may return, in bytes (`output-limit.ts`): tools that
     * read data refuse more (code `output-too-large`) before reading it. Default 16 MB.
     */
    maxOutputBytes?: number;
    /** Workspace root: file tools are confined to it; relative paths start there. */
    root: string;
    /**
     * What the run may do: tools that spawn, run shell commands or reach the network
     * check it first (`requireCapability`) and fail with code `denied` without it.
     */
    trust: Trust;
    log(message: string): void;
    progress(progress: ToolProgress): void;
    /** The run's clock (fake in tests); tools that wait should wait on it. */
    clock?: Clock;
    runId?: string;
    stepId?: string;
    /** The call is the step's `compensate` action (`errors recovery`), not the step's own call. */
    compensating?: boolean;
}

/** A tool's answer: `output` becomes `STEP.output`, `raw` (if any) `STEP.result`. */
export interface ToolResult {
    output: unknown;
    raw?: unknown;
}

/** How the engine reaches the tools of one `via` server. */
export interface Connector {
    /** Throws a ToolError (or anything; it is wrapped) on failure. */
    call(tool: ToolDescriptor, params: Record<string, unknown>, ctx: ToolContext): Promise<ToolResult>;
    close(): Promise<void>;
}

/** The tools a run or a check can see, by id. */
export class ToolRegistry {
    private readonly tools = new Map<string, ToolDescriptor>();

    constructor(tools: Iterable<ToolDescriptor> = []) {
        for (const tool of tools) {
            this.add(tool);
        }
    }

    /** Adds a tool; a second tool with the same id replaces the first only with `replace`. */
    add(tool: ToolDescriptor, options?: { replace?: boolean }): this {
        if (this.tools.has(tool.id) && !options?.replace) {
            throw new Error(`tool '${tool.id}' is already registered`);
        }
        this.tools.set(tool.id, tool);
        return this;
    }

    get(id: string): ToolDescriptor | undefined {
        return this.tools.get(id);
    }

    has(id: string): boolean {
        return this.tools.has(id);
    }

    /** All tools, in registration order. */
    all(): ToolDescriptor[] {
        return [...this.tools.values()];
    }

    ids(): string[] {
        return [...this.tools.keys()];
    }

    /**
     * Runnable tools providing `capability`, in registration order (`manual` selection
     * takes the first). A tool that is only specified or was removed is never chosen.
     */
    byCapability(capability: string): ToolDescriptor[] {
        return this.all().filter((t) => t.capabilities.includes(capability) && isRunnable(t));
    }

    /** The registered id closest to `name` (for "did you mean"), if any is reasonably close. */
    nearest(name: string): string | undefined {
        let best: string | undefined;
        let bestDistance = Infinity;
        for (const id of this.tools.keys()) {
            const d = distance(name.toLowerCase(), id.toLowerCase());
            if (d < bestDistance) {
                best = id;
                bestDistance = d;
            }
        }
        return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
    }
}
