/**
 * The shape of one built-in tool: its catalog data (schema, security, read-only) and
 * its implementation. `index.ts` turns these into ToolDescriptors and a Connector.
 */
import type { JsonSchema, SecurityLevel } from '../../model/model.js';
import type { ToolContext, ToolResult } from '../registry.js';

/** A built-in tool: catalog data the `std` writer copies, plus `run`. */
export interface BuiltinTool {
    /** Tool id and `via builtin "NAME"` name (the same). */
    readonly id: string;
    readonly title: string;
    /** A sentence for hover and completion; the title when absent. */
    readonly description?: string;
    readonly category: string;
    readonly capabilities: readonly string[];
    readonly security: SecurityLevel;
    /** Read-only tools are also cacheable. */
    readonly readOnly: boolean;
    readonly destructive?: boolean;
    readonly inputSchema: JsonSchema;
    readonly outputSchema?: JsonSchema;
    /** Declared share of each resource per call (the `resources` line of the catalog). */
    readonly resources?: Readonly<Record<string, number>>;
    /** Declared performance, until measured history exists. */
    readonly performance?: { readonly responseTimeMs?: number; readonly reliability?: number };
    /** Params were validated against `inputSchema` by the engine before this runs. */
    run(params: Record<string, unknown>, ctx: ToolContext): Promise<ToolResult>;
}
