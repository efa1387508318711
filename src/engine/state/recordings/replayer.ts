/**
 * Replay: every `tools/call` answered from a cassette, nothing started, nothing sent. A
 * call matches by server, tool and canonical arguments (the run's secrets masked first,
 * as the cassette holds them); the nth identical call gets the nth recorded answer, and
 * a task's retry gets the next attempt of the interaction it started. A call with other
 * arguments than recorded fails with `replay-divergence` and the diff; a call nothing
 * recorded fails with `replay-missing`, naming it.
 */
import { Redactor } from '../../security/redaction.js';
import { ToolError } from '../../tools/tool-error.js';
import { abortError } from '../../tools/connectors/mcp-errors.js';
import type { McpCaller } from '../../tools/connectors/mcp-connector.js';
import type { ToolContext } from '../../tools/registry.js';
import type { McpCallResult } from '../../tools/connectors/mcp-output.js';
import { attemptsOf, type Cassette, type Interaction, type RecordedAttempt } from './cassette-types.js';
import { argumentDiff } from './argument-diff.js';
import { argumentsKey, canonicalArguments, replayedError } from './cassette-values.js';

export interface ReplayOptions {
    /**
     * The replaying run's secret values: masked in a call's arguments before matching,
     * since the cassette holds them masked. A replay needs the same secrets set (any value).
     */
    secrets?: Iterable<string>;
}

/** The interaction a task is working through, for its retries. */
interface Open {
    key: string;
    interaction: Interaction;
    next: number;
    compensating: boolean;
}

/** Answers MCP calls from one cassette; one replayer per replayed run. */
export class CassetteReplayer {
    private readonly redactor: Redactor;
    /** Interactions by server, tool and arguments, in recorded order. */
    private readonly byCall = new Map<string, Interaction[]>();
    /** Interactions by server and tool, in recorded order. */
    private readonly byTool = new Map<string, Interaction[]>();
    private readonly used = new Set<Interaction>();
    private readonly calls = new Map<string, number>();
    private readonly open = new WeakMap<ToolContext, Open>();

    constructor(readonly cassette: Cassette, options: ReplayOptions = {}) {
        this.redactor = new Redactor(options.secrets ?? []);
        for (const interaction of cassette.interactions) {
            push(this.byCall, callKey(interaction.server, interaction.tool, argumentsKey(canonicalArguments(interaction.arguments))), interaction);
            push(this.byTool, toolKey(interaction.server, interaction.tool), interaction);
        }
    }

    /** The caller standing in for server `server`: it starts nothing and needs no Trust. */
    caller(server: string): McpCaller {
        return {
            name: server,
            trustProblem: () => undefined,
            close: async () => undefined,
            callTool: async (tool, args, options) => {
                if (options.signal.aborted) {
                    throw abortError(options.signal, options.toolId);
                }
                return this.answer(server, tool, args, options.context, options.toolId);
            },
        };
    }

    /** Recorded interactions no call has used (yet). */
    unused(): Interaction[] {
        return this.cassette.interactions.filter((i) => !this.used.has(i));
    }

    private answer(server: string, tool: string, args: Record<string, unknown>, context: ToolContext | undefined, toolId: string): McpCallResult {
        const now = canonicalArguments(args, this.redactor);
        const key = callKey(server, tool, argumentsKey(now));
        const open = context ? this.open.get(context) : undefined;
        // A task's retry (a compensation's call is not one): the next attempt of its interaction.
        if (open && open.key === key && open.compensating === (context?.compensating === true) && open.next < attemptsOf(open.interaction).length) {
            return outcome(attemptsOf(open.interaction)[open.next++]!);
        }
        this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
        const interaction = this.byCall.get(key)?.find((i) => !this.used.has(i));
        if (interaction) {
            this.used.add(interaction);
            if (context) {
                this.open.set(context, { key, interaction, next: 1, compensating: context.compensating === true });
            }
            return outcome(attemptsOf(interaction)[0]!);
        }
        throw this.mismatch(server, tool, now, context, toolId, key);
    }

    private mismatch(server: string, tool: string, now: Record<string, unknown>, context: ToolContext | undefined, toolId: string, key: string): ToolError {
        const source = this.cassette.file ?? 'the cassette';
        const step = context?.stepId;
        const candidates = (this.byTool.get(toolKey(server, tool)) ?? []).filter((i) => !this.used.has(i));
        const nearest = candidates.find((i) => step !== undefined && i.step === step) ?? candidates[0];
        if (nearest) {
            const of = nearest.step !== undefined ? ` of step '${nearest.step}'` : '';
            return new ToolError('replay-divergence',
                `${toolId}: the arguments differ from the recorded call${of} in ${source} (- recorded, + now):\n` +
                argumentDiff(nearest.arguments, now).map((l) => `  ${l}`).join('\n'),
                { retryable: false });
        }
        const recorded = this.byCall.get(key)?.length ?? 0;
        if (recorded > 0) {
            return new ToolError('replay-missing',
                `${toolId}: call ${this.calls.get(key)} with arguments ${shortJson(now)} was not recorded (${source} holds ${recorded})`,
                { retryable: false });
        }
        const why = this.cassette.servers[server] === undefined && !this.byTool.has(toolKey(server, tool))
            ? `server '${server}' is not in ${source}`
            : `${source} holds no call of tool '${tool}' on server '${server}'`;
        return new ToolError('replay-missing', `${toolId}: unrecorded call with arguments ${shortJson(now)}: ${why}; record the run again`,
            { retryable: false });
    }
}

/** A recorded attempt as the caller's answer: its result (a copy), or its error thrown. */
function outcome(attempt: RecordedAttempt): McpCallResult {
    if (attempt.error !== undefined) {
        throw replayedError(attempt.error);
    }
    return structuredClone(attempt.result!);
}

/** Arguments as quoted in a message: their JSON, cut at 200 characters. */
function shortJson(args: Record<string, unknown>): string {
    const text = argumentsKey(args);
    return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

function toolKey(server: string, tool: string): string {
    return `${server}\u0000${tool}`;
}

function callKey(server: string, tool: string, args: string): string {
    return `${server}\u0000${tool}\u0000${args}`;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
    const list = map.get(key);
    if (list) {
        list.push(value);
    } else {
        map.set(key, [value]);
    }
}
