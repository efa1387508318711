/**
 * An MCP server's `tools/list` entry as the engine's ToolDescriptor: id `SERVER.TOOL`,
 * its schemas, and its annotations turned into orchestration metadata.
 */
import type { JsonSchema, SecurityLevel, ToolDescriptor } from '../../model/model.js';

/** MCP tool annotations (hints), as a server sends them. */
export interface McpToolAnnotations {
    title?: string;
    readOnlyHint?: boolean;
    destructiveHint?: boolean;
    idempotentHint?: boolean;
    openWorldHint?: boolean;
    [key: string]: unknown;
}

/** The part of an MCP `Tool` the engine uses (also what the schema lock stores). */
export interface McpToolInfo {
    name: string;
    title?: string;
    description?: string;
    inputSchema: JsonSchema;
    outputSchema?: JsonSchema;
    annotations?: McpToolAnnotations;
}

/** The registry id of a server's tool: `SERVER.TOOL` (the tool name as the server spells it). */
export function mcpToolId(server: string, tool: string): string {
    return `${server}.${tool}`;
}

/** What the hints mean once MCP's defaults are applied. */
export interface ToolHints {
    readOnly: boolean;
    idempotent: boolean;
    destructive: boolean;
    openWorld: boolean;
}

/**
 * Applies the MCP defaults to a tool's hints. The spec defines an absent hint
 * pessimistically: not read-only, not idempotent, destructive (unless read-only) and
 * open-world. Taking the defaults, not "unknown = harmless", keeps an un-annotated
 * tool out of caches and at `high` security.
 */
export function toolHints(annotations: McpToolAnnotations | undefined): ToolHints {
    const readOnly = annotations?.readOnlyHint === true;
    return {
        readOnly,
        // A read-only tool has no effect to repeat: it is idempotent whatever it says.
        idempotent: readOnly || annotations?.idempotentHint === true,
        destructive: !readOnly && annotations?.destructiveHint !== false,
        openWorld: annotations?.openWorldHint !== false,
    };
}

/** `high` for tools that may destroy data or reach the outside world, else `standard`. */
export function securityOf(hints: ToolHints): SecurityLevel {
    return hints.destructive || hints.openWorld ? 'high' : 'standard';
}

/** The ToolDescriptor of one tool a server lists (`source: 'server'`). */
export function mcpToolDescriptor(server: string, tool: McpToolInfo): ToolDescriptor {
    const hints = toolHints(tool.annotations);
    const descriptor: ToolDescriptor = {
        id: mcpToolId(server, tool.name),
        title: tool.title ?? tool.annotations?.title,
        description: tool.description,
        capabilities: [],
        dependsOn: [],
        resources: {},
        performance: {},
        integrates: [],
        security: securityOf(hints),
        // Only read-only results are cacheable: an idempotent write must still happen
        // in the next run (the file it wrote may be gone by then).
        cacheable: hints.readOnly,
        readOnly: hints.readOnly,
        idempotent: hints.idempotent,
        destructive: hints.destructive,
        openWorld: hints.openWorld,
        status: 'live',
        inputSchema: tool.inputSchema,
        via: { server, tool: tool.name },
        source: 'server',
    };
    if (tool.outputSchema) {
        descriptor.outputSchema = tool.outputSchema;
    }
    return descriptor;
}

/**
 * A declared tool (`via SERVER "TOOL"`, a catalog entry) with the contract its server
 * publishes: the server's input and output schemas replace the declared ones, because
 * the server checks calls against its own. The declaration keeps everything kmflow adds
 * (category, capabilities, security, status, hints, failure rule). Unchanged when equal.
 */
export function withServerContract(declared: ToolDescriptor, served: ToolDescriptor): ToolDescriptor {
    if (declared.inputSchema === served.inputSchema && declared.outputSchema === served.outputSchema) {
        return declared;
    }
    const merged: ToolDescriptor = { ...declared, inputSchema: served.inputSchema, contract: 'server' };
    if (served.outputSchema) {
        merged.outputSchema = served.outputSchema;
    } else {
        delete merged.outputSchema;
    }
    return merged;
}
