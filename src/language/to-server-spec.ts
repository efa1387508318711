/** A `server` declaration as the engine's `ServerSpec`. */
import type { ServerSpec } from '../engine/model.js';
import type { LangiumCoreServices } from 'langium';
import type { Server } from './generated/ast.js';
import { toFailureRule } from './to-engine-model.js';
import { jsonValue } from './static-values.js';
import { parseDuration } from './durations.js';
import { locationOf } from './locations.js';

function stringRecord(value: unknown): Record<string, string> | undefined {
    if (!value || typeof value !== 'object') {
        return undefined;
    }
    return Object.fromEntries(Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined && v !== null)
        .map(([k, v]) => [k, String(v)]));
}

export function toServerSpec(services: LangiumCoreServices, server: Server): ServerSpec {
    const args = jsonValue(server.args);
    const failure = toFailureRule(services, server.failure);
    return {
        ...(failure && { failure }),
        name: server.name,
        command: server.command,
        args: Array.isArray(args) ? args.map(String) : undefined,
        env: stringRecord(jsonValue(server.env)),
        cwd: server.cwd,
        url: server.url,
        headers: stringRecord(jsonValue(server.headers)),
        timeoutMs: server.timeout ? parseDuration(server.timeout) : undefined,
        location: locationOf(server),
    };
}
