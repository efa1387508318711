/**
 * Writes the bundled `std` catalog from the engine's built-in tools, so the schemas the
 * checker uses are the very ones the implementations validate against. The build runs
 * `npm run generate:std`; a test fails when the committed file drifts from this output.
 */
import type { BuiltinTool } from '../engine/tools/index.js';
import { BUILTIN_TOOLS } from '../engine/tools/index.js';
import { toolDeclaration, type CatalogEntry } from './catalog-writer.js';

function entryOf(tool: BuiltinTool): CatalogEntry {
    return {
        id: tool.id,
        title: tool.title,
        description: tool.description,
        category: tool.category,
        capabilities: tool.capabilities,
        security: tool.security,
        hints: [...(tool.readOnly ? ['read_only' as const] : []), ...(tool.destructive ? ['destructive' as const] : [])],
        cache: tool.readOnly ? 'on' : undefined,
        resources: tool.resources,
        performance: tool.performance,
        inputSchema: tool.inputSchema,
        outputSchema: tool.outputSchema,
        via: { server: 'builtin', tool: tool.id },
    };
}

export function renderStdCatalog(): string {
    return [
        '// The bundled `std` catalog: kmflow\'s built-in tools, always imported.',
        '// Generated from src/engine/tools/builtins by `npm run generate:std`; do not edit by hand.',
        '// Each tool carries the JSON Schema its parameters are checked against: before a run',
        '// (`invalid-param`) and again right before each call.',
        '',
        ...BUILTIN_TOOLS.map((t) => `${toolDeclaration(entryOf(t))}\n`),
    ].join('\n');
}
