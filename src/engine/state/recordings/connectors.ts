/**
 * Cassettes as a run's connectors. Recording: the real MCP connectors of a pool, each
 * calling through a recording caller. Replay: one connector per server answering from
 * the cassette. Both are McpConnectors, so what happens around the call (a `spec` tool's
 * refusal, an `isError` result, the `failure` rule, the step's output) is the same code
 * live, recorded and replayed.
 */
import type { ServerSpec, ToolDescriptor } from '../../model/model.js';
import type { Connector } from '../../tools/registry.js';
import { McpConnector } from '../../tools/connectors/mcp-connector.js';
import { mcpToolDescriptor } from '../../tools/connectors/mcp-descriptor.js';
import type { McpConnectorPool } from '../../tools/connectors/mcp-pool.js';
import type { Cassette } from './cassette-types.js';
import type { CassetteRecorder } from './recorder.js';
import { CassetteReplayer, type ReplayOptions } from './replayer.js';

/** The connectors of `pool`'s servers (the RunOptions `connectors`), every call recorded into `recorder`. */
export function recordingConnectors(pool: McpConnectorPool, recorder: CassetteRecorder): Map<string, Connector> {
    const map = new Map<string, Connector>();
    for (const name of pool.names()) {
        const connection = pool.connection(name)!;
        map.set(name, new McpConnector(recorder.caller(connection), connection.spec.failure));
    }
    return map;
}

/** What a replay runs with. */
export interface ReplayConnectors {
    /** A connector per server (the RunOptions `connectors`); none starts anything. */
    connectors: Map<string, Connector>;
    /** The tools the recorded servers listed, as descriptors (`registerServerTools` adds them to a registry). */
    tools: ToolDescriptor[];
    /** One line per server the cassette does not hold: its calls fail with `replay-missing`. */
    warnings: string[];
    /** The matcher behind the connectors (`unused()`: recorded calls nobody made). */
    replayer: CassetteReplayer;
}

/**
 * Connectors answering every call to `servers` (default: every server in the cassette)
 * from `cassette`. A server's `failure` rule comes from its ServerSpec.
 */
export function replayConnectors(cassette: Cassette, servers?: readonly ServerSpec[], options: ReplayOptions = {}): ReplayConnectors {
    const replayer = new CassetteReplayer(cassette, options);
    const specs = servers ?? Object.keys(cassette.servers).map((name): ServerSpec => ({ name }));
    const connectors = new Map<string, Connector>();
    const tools: ToolDescriptor[] = [];
    const warnings: string[] = [];
    for (const spec of specs) {
        connectors.set(spec.name, new McpConnector(replayer.caller(spec.name), spec.failure));
        const recorded = cassette.servers[spec.name];
        if (recorded) {
            tools.push(...recorded.tools.map((t) => mcpToolDescriptor(spec.name, t)));
        } else {
            warnings.push(`server '${spec.name}' is not in ${cassette.file ?? 'the cassette'}: its calls fail with replay-missing`);
        }
    }
    return { connectors, tools, warnings, replayer };
}
