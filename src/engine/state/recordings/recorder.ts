/**
 * Recording at the MCP boundary: a caller that stands in front of a live McpConnection
 * (`recordingConnectors`), passes every `tools/call` through and notes its arguments,
 * outcome (the server's CallToolResult, or the error) and duration. A task that calls
 * again with the same tool and arguments is retrying (the engine hands every attempt of
 * one task the same context): its attempts stay one interaction. `cassette()` turns the
 * notes into a Cassette with the run's secrets masked everywhere in it.
 */
import { performance } from 'node:perf_hooks';
import { Redactor } from '../../security/redaction.js';
import type { McpCaller } from '../../tools/connectors/mcp-connector.js';
import type { ToolContext } from '../../tools/registry.js';
import type { McpToolInfo } from '../../tools/connectors/mcp-descriptor.js';
import type { McpCallResult } from '../../tools/connectors/mcp-output.js';
import { CASSETTE_VERSION, type Cassette, type Interaction, type RecordedAttempt } from './cassette-types.js';
import { argumentsKey, canonicalArguments, recordedError, recordedResult, withoutVolatileMeta } from './cassette-values.js';

/** One call (and its retries) as it happened, before masking. */
interface Entry {
    seq: number;
    server: string;
    tool: string;
    key: string;
    step: string | undefined;
    arguments: Record<string, unknown>;
    attempts: Array<{ durationMs: number; result?: McpCallResult; error?: unknown }>;
}

/** What `cassette()` needs besides the calls. */
export interface CassetteOptions {
    /** Ids of the recorded workflows. */
    workflows: string[];
    /** The run's secret values: each (and its derived forms) reads `***` in the cassette. */
    secrets?: Iterable<string>;
}

/** Collects a run's MCP calls; one recorder per recorded run. */
export class CassetteRecorder {
    private readonly listings = new Map<string, McpToolInfo[]>();
    private readonly entries: Entry[] = [];
    /** The entry each task context opened last, for its retries. */
    private readonly open = new WeakMap<ToolContext, Entry>();

    /** Notes what the servers listed (`McpListing.servers`): a replay registers the same tools. */
    listed(servers: Readonly<Record<string, McpToolInfo[]>>): void {
        for (const [name, tools] of Object.entries(servers)) {
            this.listings.set(name, tools);
        }
    }

    /** How many calls were recorded so far (a retried call counts once). */
    get size(): number {
        return this.entries.length;
    }

    /** A caller that records every call `inner` makes. */
    caller(inner: McpCaller): McpCaller {
        return {
            name: inner.name,
            trustProblem: (trust) => inner.trustProblem(trust),
            close: () => inner.close(),
            callTool: async (tool, args, options) => {
                const entry = this.begin(inner.name, tool, args, options.context);
                const started = performance.now();
                try {
                    const result = await inner.callTool(tool, args, options);
                    entry.attempts.push({ durationMs: elapsed(started), result });
                    return result;
                } catch (err) {
                    entry.attempts.push({ durationMs: elapsed(started), error: err });
                    throw err;
                }
            },
        };
    }

    private begin(server: string, tool: string, args: Record<string, unknown>, context: ToolContext | undefined): Entry {
        const canonical = canonicalArguments(args);
        // A compensation's call is never a retry of the step's own, even when it is the same.
        const key = `${server}\u0000${tool}\u0000${argumentsKey(canonical)}\u0000${context?.compensating === true}`;
        const previous = context ? this.open.get(context) : undefined;
        if (previous && previous.key === key && previous.attempts.length > 0) {
            return previous; // the same task calling the same again: a retry
        }
        const entry: Entry = { seq: this.entries.length, server, tool, key, step: context?.stepId, arguments: canonical, attempts: [] };
        this.entries.push(entry);
        if (context) {
            this.open.set(context, entry);
        }
        return entry;
    }

    /**
     * The cassette of the calls so far: servers by name, interactions grouped by server
     * and tool in call order, the secrets (`options.secrets`) masked in every part.
     */
    cassette(options: CassetteOptions): Cassette {
        const redactor = new Redactor(options.secrets ?? []);
        const servers: Cassette['servers'] = {};
        for (const [name, tools] of [...this.listings].sort(([a], [b]) => compare(a, b))) {
            servers[name] = { tools: tools.map(withoutVolatileMeta) };
        }
        const interactions = this.entries
            .filter((e) => e.attempts.length > 0)
            .sort((a, b) => compare(a.server, b.server) || compare(a.tool, b.tool) || a.seq - b.seq)
            .map((e) => this.interaction(e));
        return redactor.value({ version: CASSETTE_VERSION, workflows: options.workflows, servers, interactions });
    }

    private interaction(e: Entry): Interaction {
        const annotations = this.listings.get(e.server)?.find((t) => t.name === e.tool)?.annotations;
        const attempts: RecordedAttempt[] = e.attempts.map((a) => ({
            durationMs: a.durationMs,
            ...(a.error === undefined ? { result: recordedResult(a.result!) } : { error: recordedError(a.error) }),
        }));
        return {
            server: e.server,
            tool: e.tool,
            ...(e.step !== undefined && { step: e.step }),
            arguments: e.arguments,
            ...(annotations !== undefined && { annotations }),
            ...(attempts.length === 1 ? attempts[0]! : { attempts }),
        };
    }
}

function elapsed(started: number): number {
    return Math.round(performance.now() - started);
}

function compare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}
