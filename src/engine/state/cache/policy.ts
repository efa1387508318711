/**
 * Which steps may use the cache. A result may be reused when calling again could not
 * tell the difference: the tool is read-only or idempotent (MCP annotations), or says
 * `cache on`, or the step says `cache on`. Never for a destructive tool (a step's
 * `cache on` cannot override that: skipping a delete is not an optimisation), never
 * for a step's `cache off`, never under `cache none`.
 */
import type { CacheStrategy, StepSpec, ToolDescriptor } from '../../model/model.js';

export interface CacheDecision {
    cacheable: boolean;
    /** Why not (or why), in words `kmflow plan` can print. */
    reason: string;
}

export function cacheDecision(step: StepSpec, tool: ToolDescriptor, strategy: CacheStrategy): CacheDecision {
    if (strategy === 'none') {
        return { cacheable: false, reason: 'the workflow says cache none' };
    }
    if (tool.destructive) {
        return { cacheable: false, reason: `tool '${tool.id}' is destructive` };
    }
    if (step.cache === false) {
        return { cacheable: false, reason: 'the step says cache off' };
    }
    if (step.cache === true) {
        return { cacheable: true, reason: 'the step says cache on' };
    }
    if (tool.cacheable || tool.readOnly || tool.idempotent) {
        const why = tool.cacheable ? 'cache on' : tool.readOnly ? 'read-only' : 'idempotent';
        return { cacheable: true, reason: `tool '${tool.id}' is ${why}` };
    }
    return { cacheable: false, reason: `tool '${tool.id}' is not cacheable (not read-only, idempotent or cache on)` };
}
