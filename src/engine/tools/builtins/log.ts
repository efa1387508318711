/** `log {message}`: writes a line to the run log. */
import type { BuiltinTool } from './builtin-tool.js';
import { stringify } from '../../model/expressions.js';

export const logTool: BuiltinTool = {
    id: 'log',
    title: 'Write a message to the run log',
    category: 'communication',
    capabilities: ['log', 'notify'],
    security: 'standard',
    readOnly: true,
    inputSchema: {
        type: 'object',
        properties: { message: { description: 'Text to log; non-strings are logged as JSON.' } },
        required: ['message'],
        additionalProperties: false,
    },
    async run(params, ctx) {
        const message = stringify(params.message);
        ctx.log(message);
        return { output: { message } };
    },
};
