/**
 * Markdown for hovers and completion documentation: a tool's descriptor, a step's
 * dependencies, an input. Pure functions of the engine model, so any face can reuse them.
 */
import type { JsonSchema, ToolDescriptor } from '../../engine/model/index.js';
import { formatDuration } from '../../shared/duration-format.js';

/** A tool's descriptor: title, metadata, and a parameter table from its input schema. */
export function toolMarkdown(tool: ToolDescriptor): string {
    const lines: string[] = [`**${tool.id}**${tool.title ? ` — ${tool.title}` : ''}`];
    if (tool.description) {
        lines.push('', tool.description);
    }
    const facts: string[] = [];
    const add = (label: string, value: string | undefined): void => {
        if (value) {
            facts.push(`- ${label}: ${value}`);
        }
    };
    add('category', tool.category);
    add('capabilities', tool.capabilities.map((c) => `\`${c}\``).join(', '));
    add('security', tool.security);
    add('hints', [
        tool.readOnly && 'read-only', tool.idempotent && 'idempotent', tool.destructive && 'destructive',
        tool.cacheable && 'cacheable', tool.enterpriseReady && 'enterprise-ready', tool.aiEnhanced && 'AI-enhanced',
    ].filter(Boolean).join(', '));
    add('resources', Object.entries(tool.resources).map(([k, v]) => `${k} ${v}`).join(', '));
    add('performance', [
        tool.performance.responseTimeMs !== undefined && `response time ${formatDuration(tool.performance.responseTimeMs)}`,
        tool.performance.reliability !== undefined && `reliability ${tool.performance.reliability}`,
    ].filter(Boolean).join(', '));
    add('status', tool.status && `${tool.status}${tool.replacedBy ? ` (replaced by \`${tool.replacedBy}\`)` : ''}`);
    add('depends on', tool.dependsOn.map((d) => `\`${d}\``).join(', '));
    add('via', tool.via && (tool.via.server === 'builtin' ? `builtin \`${tool.via.tool}\`` : `server \`${tool.via.server}\`, tool \`${tool.via.tool}\``));
    if (!tool.via) {
        facts.push('- via: none (can be planned, not run)');
    }
    if (facts.length > 0) {
        lines.push('', ...facts);
    }
    const table = parameterTable(tool.inputSchema);
    if (table) {
        lines.push('', table);
    }
    return lines.join('\n');
}

/** `| parameter | type | required | description |` rows from a JSON Schema's properties. */
export function parameterTable(schema: JsonSchema | undefined): string | undefined {
    const props = schemaProperties(schema);
    const names = Object.keys(props);
    if (names.length === 0) {
        return undefined;
    }
    const required = new Set(Array.isArray(schema?.required) ? schema.required as string[] : []);
    const rows = names.map((name) => {
        const p = props[name]!;
        const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
        return `| \`${name}\` | ${cell(schemaType(p))} | ${required.has(name) ? 'yes' : ''} | ${cell(String(p.description ?? ''))} |`;
    });
    return ['| parameter | type | required | description |', '|---|---|---|---|', ...rows].join('\n');
}

/** The `properties` of an object schema (empty when there are none). */
export function schemaProperties(schema: JsonSchema | undefined): Record<string, JsonSchema> {
    const props = schema?.properties;
    return props && typeof props === 'object' ? props as Record<string, JsonSchema> : {};
}

/** A short type for a property schema: `string`, `"GET" | "POST"`, `array of string`. */
export function schemaType(schema: JsonSchema): string {
    if (Array.isArray(schema.enum)) {
        return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
    }
    const type = schema.type;
    if (Array.isArray(type)) {
        return type.join(' | ');
    }
    if (type === 'array' && schema.items && typeof schema.items === 'object') {
        return `array of ${schemaType(schema.items as JsonSchema)}`;
    }
    return typeof type === 'string' ? type : 'any';
}
