/**
 * `template {template, values}`: fills `{{name}}` placeholders.
 *
 * - `{{name}}` takes `values.name`; `{{a.b.0}}` walks objects and lists; spaces inside
 *   the braces are ignored (`{{ name }}`).
 * - Strings are inserted as they are, other values as JSON. No HTML escaping: the
 *   output is text, not markup.
 * - A placeholder with no value fails the step (code `invalid-param`) rather than
 *   rendering empty, so a typo shows instead of silently producing a wrong file.
 * - `\{{` is a literal `{{`.
 */
import type { BuiltinTool } from './builtin-tool.js';
import { ToolError } from '../tool-error.js';

const PLACEHOLDER = /\\\{\{|\{\{\s*([A-Za-z_][\w-]*(?:\.[\w-]+)*)\s*\}\}/g;

/** Renders `template` with `values`; see the module comment for the rules. */
export function renderTemplate(template: string, values: Record<string, unknown>): string {
    return template.replace(PLACEHOLDER, (match, path: string | undefined) => {
        if (path === undefined) {
            return '{{';
        }
        let value: unknown = values;
        for (const key of path.split('.')) {
            value = value !== null && typeof value === 'object' && Object.prototype.hasOwnProperty.call(value, key)
                ? (value as Record<string, unknown>)[key]
                : undefined;
        }
        if (value === undefined) {
            throw new ToolError('invalid-param', `template: no value for placeholder ${match}`);
        }
        return typeof value === 'string' ? value : JSON.stringify(value);
    });
}

export const templateTool: BuiltinTool = {
    id: 'template',
    title: 'Fill a text template',
    category: 'creation',
    capabilities: ['template', 'text_generation'],
    security: 'standard',
    readOnly: true,
    inputSchema: {
        type: 'object',
        properties: {
            template: { type: 'string', description: 'Text with `{{name}}` placeholders.' },
            values: { type: 'object', description: 'Values of the placeholders.' },
        },
        required: ['template'],
        additionalProperties: false,
    },
    async run(params) {
        return { output: renderTemplate(params.template as string, (params.values as Record<string, unknown>) ?? {}) };
    },
};
