/**
 * The built-in tools (`std` catalog): their catalog data as plain exported values,
 * their ToolDescriptors, and the `builtin` connector that dispatches on `via.tool`.
 */
import type { ToolDescriptor } from '../../model/model.js';
import type { Connector, ToolRegistry } from '../registry.js';
import { ToolError } from '../tool-error.js';
import { assertTool } from './assert.js';
import type { BuiltinTool } from './builtin-tool.js';
import { delayTool } from './delay.js';
import { fileDeleteTool, fileListTool, fileReadTool, fileWriteTool } from './files.js';
import { httpRequestTool } from './http-request.js';
import { jsonQueryTool } from './json-query.js';
import { logTool } from './log.js';
import { shellTool } from './shell.js';
import { templateTool } from './template.js';

export type { BuiltinTool } from './builtin-tool.js';
export { renderTemplate } from './template.js';
export { confinedPath } from './confine.js';

/** The `via` server name of the built-in tools. */
export const BUILTIN_SERVER = 'builtin';

/** Every built-in tool, in catalog order. */
export const BUILTIN_TOOLS: readonly BuiltinTool[] = [
    logTool,
    delayTool,
    shellTool,
    httpRequestTool,
    fileReadTool,
    fileWriteTool,
    fileListTool,
    fileDeleteTool,
    jsonQueryTool,
    templateTool,
    assertTool,
];

const byName = new Map(BUILTIN_TOOLS.map((t) => [t.id, t]));

/** The ToolDescriptor of a built-in tool (`via builtin "ID"`). */
export function builtinDescriptor(tool: BuiltinTool): ToolDescriptor {
    return {
        id: tool.id,
        title: tool.title,
        category: tool.category,
        capabilities: [...tool.capabilities],
        dependsOn: [],
        description: tool.description,
        resources: { ...tool.resources },
        performance: { ...tool.performance },
        integrates: [],
        security: tool.security,
        cacheable: tool.readOnly,
        readOnly: tool.readOnly,
        idempotent: tool.readOnly,
        destructive: tool.destructive ?? false,
        status: 'live',
        inputSchema: tool.inputSchema,
        outputSchema: tool.outputSchema,
        via: { server: BUILTIN_SERVER, tool: tool.id },
        source: 'builtin',
    };
}

/** Descriptors of all built-in tools. */
export const BUILTIN_DESCRIPTORS: readonly ToolDescriptor[] = BUILTIN_TOOLS.map(builtinDescriptor);

/** Adds the built-in tools to a registry (skipping ids it already has). */
export function registerBuiltins(registry: ToolRegistry): ToolRegistry {
    for (const d of BUILTIN_DESCRIPTORS) {
        if (!registry.has(d.id)) {
            registry.add(d);
        }
    }
    return registry;
}

/** The built-in connector: runs the built-in tool named by `via.tool`. */
export function createBuiltinConnector(): Connector {
    return {
        call(tool, params, ctx) {
            const name = tool.via?.tool ?? tool.id;
            const impl = byName.get(name);
            if (!impl) {
                return Promise.reject(new ToolError('not-implemented', `no built-in tool '${name}' (used by '${tool.id}')`));
            }
            return impl.run(params, ctx);
        },
        async close() {
            // Nothing to release: built-ins hold no connections.
        },
    };
}
