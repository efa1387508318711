/** `json.query {input, expression}`: a JMESPath query (jmespath.org) over `input`. */
import jmespath from 'jmespath';
import type { BuiltinTool } from './builtin-tool.js';
import { ToolError } from '../tool-error.js';

export const jsonQueryTool: BuiltinTool = {
    id: 'json.query',
    title: 'Query JSON with JMESPath',
    category: 'data_management',
    capabilities: ['json_query', 'data_transformation'],
    security: 'standard',
    readOnly: true,
    inputSchema: {
        type: 'object',
        properties: {
            input: { description: 'The JSON value to query.' },
            expression: { type: 'string', minLength: 1, description: 'A JMESPath expression, e.g. `items[?enabled].name`.' },
        },
        required: ['input', 'expression'],
        additionalProperties: false,
    },
    async run(params) {
        try {
            return { output: jmespath.search(params.input, params.expression as string) ?? null };
        } catch (err) {
            // A bad expression is a parameter error: retrying cannot fix it.
            throw new ToolError('invalid-param', `json.query: ${(err as Error).message}`, { cause: err });
        }
    },
};
