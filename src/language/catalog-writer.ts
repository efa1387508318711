/**
 * Writes `tool` declarations for the generated catalogs (`std` from the built-in tools,
 * `km` from the Keyboard Maestro server's published tools): one entry shape, one layout.
 */
import type { JsonSchema, SecurityLevel } from '../engine/model/index.js';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** What a generated `tool` declaration says, field by field. */
export interface CatalogEntry {
    id: string;
    title: string;
    description?: string;
    category: string;
    status?: 'alias' | 'removed' | 'spec';
    replacedBy?: string;
    capabilities: readonly string[];
    dependsOn?: readonly string[];
    integrates?: readonly string[];
    resources?: Readonly<Record<string, number>>;
    performance?: { responseTimeMs?: number; reliability?: number };
    security: SecurityLevel;
    hints?: ReadonlyArray<'read_only' | 'idempotent' | 'destructive'>;
    cache?: 'on' | 'off';
    inputSchema: JsonSchema;
    outputSchema?: JsonSchema;
    via: { server: string; tool: string };
    /** kmflow source of a `failure { ... }` block, indented as a member. */
    failure?: string;
}

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

/** A kmflow string literal (`${` kept literal). */
function str(text: string): string {
    return JSON.stringify(text).replace(/\$\{/g, '\\${');
}

export function toolDeclaration(e: CatalogEntry): string {
    const lines = [`tool ${e.id} ${str(e.title)} {`];
    if (e.description) {
        lines.push(`    description ${str(e.description)}`);
    }
    lines.push(`    category ${e.category}`);
    if (e.status) {
        lines.push(`    status ${e.status}${e.replacedBy ? ` replaced_by ${e.replacedBy}` : ''}`);
    }
    lines.push(`    capabilities ${e.capabilities.join(', ')}`);
    if (e.dependsOn?.length) {
        lines.push(`    depends_on ${e.dependsOn.join(', ')}`);
    }
    if (e.integrates?.length) {
        lines.push(`    integrates ${e.integrates.join(', ')}`);
    }
    const resources = Object.entries(e.resources ?? {});
    if (resources.length > 0) {
        lines.push(`    resources ${resources.map(([k, v]) => `${k} ${v}`).join(', ')}`);
    }
    const perf = e.performance ?? {};
    const metrics = [
        perf.responseTimeMs !== undefined ? `response_time ${perf.responseTimeMs}ms` : '',
        perf.reliability !== undefined ? `reliability ${perf.reliability}` : '',
    ].filter(Boolean);
    if (metrics.length > 0) {
        lines.push(`    performance ${metrics.join(', ')}`);
    }
    lines.push(`    security ${e.security}`);
    lines.push(...(e.hints ?? []).map((h) => `    ${h}`));
    if (e.cache) {
        lines.push(`    cache ${e.cache}`);
    }
    lines.push(`    input_schema ${toKmflowLiteral(e.inputSchema, '    ')}`);
    if (e.outputSchema) {
        lines.push(`    output_schema ${toKmflowLiteral(e.outputSchema, '    ')}`);
    }
    if (e.failure) {
        lines.push(e.failure);
    }
    lines.push(`    via ${e.via.server} ${str(e.via.tool)}`, '}');
    return lines.join('\n');
}
