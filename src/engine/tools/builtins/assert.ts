/** `assert {condition, message}`: fails the step (code `assertion`) when the condition is false. */
import type { BuiltinTool } from './builtin-tool.js';
import { truthy } from '../../model/expressions.js';
import { ToolError } from '../tool-error.js';

export const assertTool: BuiltinTool = {
    id: 'assert',
    title: 'Check a condition',
    category: 'foundation',
    capabilities: ['assert', 'validation'],
    security: 'standard',
    readOnly: true,
    inputSchema: {
        type: 'object',
        properties: {
            condition: { description: 'Checked for truthiness, like `when`.' },
            message: { type: 'string', description: 'The failure message.' },
        },
        required: ['condition'],
        additionalProperties: false,
    },
    async run(params) {
        if (!truthy(params.condition)) {
            throw new ToolError('assertion', (params.message as string | undefined) ?? 'assertion failed');
        }
        return { output: true };
    },
};
