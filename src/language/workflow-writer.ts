/**
 * Writes kmflow source for a suggested workflow: one step per chosen tool, required
 * parameters filled with typed placeholders marked TODO, so the file checks clean and
 * says what is left to fill in.
 */
import type { JsonSchema, ToolDescriptor } from '../engine/model/index.js';
import type { Suggestion } from '../engine/insight/index.js';
import { toKmflowLiteral } from './catalog-writer.js';

/** Example values of string formats, so a placeholder passes the schema's `format`. */
const FORMAT_EXAMPLES: Record<string, string> = {
    uri: 'https://example.com/TODO', 'uri-reference': 'https://example.com/TODO', url: 'https://example.com/TODO',
    email: 'todo@example.com', 'date-time': '2026-01-01T00:00:00Z', date: '2026-01-01', time: '00:00:00Z',
    hostname: 'example.com', ipv4: '127.0.0.1', uuid: '00000000-0000-4000-8000-000000000000',
};

/** A string `pattern` accepts: the first of plain alternatives (`^(a|b)$`), else a TODO-like word it matches. */
function patternExample(pattern: string): string | undefined {
    const alternatives = /^\^\(?([A-Za-z0-9_ |-]+?)\)?\$$/.exec(pattern)?.[1];
    if (alternatives) {
        return alternatives.split('|')[0];
    }
    try {
        const re = new RegExp(pattern, 'u');
        return ['TODO', 'todo', 'TODO_1', '0'].find((s) => re.test(s));
    } catch {
        return undefined;
    }
}

function stringPlaceholder(schema: JsonSchema): string {
    const format = typeof schema.format === 'string' ? FORMAT_EXAMPLES[schema.format] : undefined;
    const pattern = typeof schema.pattern === 'string' ? patternExample(schema.pattern) : undefined;
    return format ?? pattern ?? 'TODO';
}

function placeholder(schema: JsonSchema | undefined): unknown {
    if (!schema) {
        return 'TODO';
    }
    if (Array.isArray(schema.enum) && schema.enum.length > 0) {
        return schema.enum[0];
    }
    if ('default' in schema) {
        return schema.default;
    }
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    switch (type) {
        case 'number':
        case 'integer': return typeof schema.minimum === 'number' ? schema.minimum : 0;
        case 'boolean': return false;
        case 'array': return [];
        case 'object': return {};
        default: return stringPlaceholder(schema);
    }
}

function stepName(tool: ToolDescriptor, taken: Set<string>): string {
    const base = tool.id.replace(/^km_/, '').replace(/[^A-Za-z0-9_]/g, '_');
    let name = base;
    for (let i = 2; taken.has(name); i++) {
        name = `${base}_${i}`;
    }
    taken.add(name);
    return name;
}

export function writeSuggestedWorkflow(suggestion: Suggestion, name = 'suggested'): string {
    const servers = new Set(suggestion.tools.map((t) => t.tool.via?.server).filter((s): s is string => !!s && s !== 'builtin'));
    const lines = [`// Suggested by \`kmflow suggest\` for target ${suggestion.target}: a weighted set cover of the capabilities.`];
    if (suggestion.uncovered.length > 0) {
        lines.push(`// No usable tool provides: ${suggestion.uncovered.join(', ')}.`);
    }
    if (suggestion.tools.some((t) => t.tool.source === 'catalog')) {
        lines.push('import "km"');
    }
    for (const server of servers) {
        lines.push('', `// The MCP server behind the ${server} tools: adjust the command to your installation.`,
            `server ${server} {`, '    command "python"', '    args ["-m", "src.main_dynamic"]', '}');
    }
    lines.push('', `workflow ${name} "Covers ${suggestion.tools.flatMap((t) => t.covers).join(', ')}" {`,
        `    target ${suggestion.target}`, '    mode parallel', '    errors resilient');
    const taken = new Set<string>();
    for (const { tool, covers } of suggestion.tools) {
        const required = (tool.inputSchema?.required as string[] | undefined) ?? [];
        const props = (tool.inputSchema?.properties as Record<string, JsonSchema> | undefined) ?? {};
        lines.push('', `    // ${tool.title ?? tool.id}: ${covers.join(', ')}`);
        const params = Object.fromEntries(required.map((p) => [p, placeholder(props[p])]));
        const withText = required.length > 0 ? ` with ${toKmflowLiteral(params, '    ')}${required.length > 0 ? ' // TODO: set the parameters' : ''}` : '';
        lines.push(`    step ${stepName(tool, taken)} uses ${tool.id} {${withText ? `\n       ${withText}\n    ` : ' '}}`);
    }
    lines.push('}', '');
    return lines.join('\n');
}
