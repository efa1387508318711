/** `delay {ms}`: waits, on the run's clock, and stops waiting when aborted. */
import type { BuiltinTool } from './builtin-tool.js';
import { realClock, sleep } from '../../run/clock.js';

export const delayTool: BuiltinTool = {
    id: 'delay',
    title: 'Wait for a while',
    category: 'foundation',
    capabilities: ['delay', 'wait'],
    security: 'standard',
    readOnly: true,
    inputSchema: {
        type: 'object',
        properties: { ms: { type: 'number', minimum: 0, description: 'Milliseconds to wait.' } },
        required: ['ms'],
        additionalProperties: false,
    },
    async run(params, ctx) {
        const ms = params.ms as number;
        await sleep(ctx.clock ?? realClock, ms, ctx.signal);
        return { output: { ms } };
    },
};
