/**
 * Writes the bundled `std` catalog from the engine's built-in tools, so the schemas the
 * checker uses are the very ones the implementations validate against. The build runs
 * `npm run generate:std`; a test fails when the committed file drifts from this output.
 */
import type { BuiltinTool } from '../engine/builtins/builtin-tool.js';
import { BUILTIN_TOOLS } from '../engine/builtins/index.js';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A JSON value as a kmflow literal (object keys bare where they are identifiers). */
export function toKmflowLiteral(value: unknown, indent = ''): string {
    if (value === null || typeof value !== 'object') {
        return JSON.stringify(value).replace(/\$\{/g, '\\${');
    }
    const inner = `${indent}    `;
    if (Array.isArray(value)) {
        const items = value.map((v) => toKmflowLiteral(v, inner));
        const flat = `[${items.join(', ')}]`;
        return flat.length <= 80 && !flat.includes('\n') ? flat : `[\n${items.map((i) => `${inner}${i}`).join(',\n')}\n${indent}]`;
    }
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) {
        return '{}';
    }
    const parts = entries.map(([k, v]) => `${IDENT.test(k) ? k : JSON.stringify(k)}: ${toKmflowLiteral(v, inner)}`);
    const flat = `{ ${parts.join(', ')} }`;
    return flat.length <= 80 && !flat.includes('\n') ? flat : `{\n${parts.map((p) => `${inner}${p}`).join(',\n')}\n${indent}}`;
}

function toolDeclaration(tool: BuiltinTool): string {
    const lines = [`tool ${tool.id} ${JSON.stringify(tool.title)} {`];
    if (tool.description) {
        lines.push(`    description ${JSON.stringify(tool.description)}`);
    }
    lines.push(`    category ${tool.category}`);
    lines.push(`    capabilities ${tool.capabilities.join(', ')}`);
    lines.push(`    security ${tool.security}`);
    if (tool.readOnly) {
        lines.push('    read_only', '    cache on');
    }
    if (tool.destructive) {
        lines.push('    destructive');
    }
    const resources = Object.entries(tool.resources ?? {});
    if (resources.length > 0) {
        lines.push(`    resources ${resources.map(([k, v]) => `${k} ${v}`).join(', ')}`);
    }
    const perf = tool.performance ?? {};
    const metrics = [
        perf.responseTimeMs !== undefined ? `response_time ${perf.responseTimeMs}ms` : '',
        perf.reliability !== undefined ? `reliability ${perf.reliability}` : '',
    ].filter(Boolean);
    if (metrics.length > 0) {
        lines.push(`    performance ${metrics.join(', ')}`);
    }
    lines.push(`    input_schema ${toKmflowLiteral(tool.inputSchema, '    ')}`);
    if (tool.outputSchema) {
        lines.push(`    output_schema ${toKmflowLiteral(tool.outputSchema, '    ')}`);
    }
    lines.push(`    via builtin ${JSON.stringify(tool.id)}`, '}');
    return lines.join('\n');
}

export function renderStdCatalog(): string {
    return [
        '// The bundled `std` catalog: kmflow\'s built-in tools, always imported.',
        '// Generated from src/engine/builtins by `npm run generate:std`; do not edit by hand.',
        '// Each tool carries the JSON Schema its parameters are checked against: before a run',
        '// (`invalid-param`) and again right before each call.',
        '',
        ...BUILTIN_TOOLS.map((t) => `${toolDeclaration(t)}\n`),
    ].join('\n');
}
