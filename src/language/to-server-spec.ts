/**
 * A `server` declaration as the engine's `ServerSpec`. `args`, `env`, `headers`, `url`
 * and `cwd` keep their `${secret.NAME}` / `${env.NAME}` as placeholders, resolved when
 * the server starts (`server-values.ts`).
 */
import type { ServerSpec } from '../engine/model/index.js';
import type { LangiumCoreServices } from 'langium';
import type { Server } from './generated/ast.js';
import { toFailureRule } from './to-engine-model.js';
import { parseDuration } from './durations.js';
import { locationOf } from './locations.js';
import { placeholderText, serverStrings } from './server-values.js';
import { lastOf } from './ast-options.js';

export function toServerSpec(services: LangiumCoreServices, server: Server): ServerSpec {
    const failure = toFailureRule(services, lastOf(server.failure));
    const strings = new Map(serverStrings(services, server).map((s) => [s.where, placeholderText(s)]));
    const record = (field: 'env' | 'headers'): Record<string, string> | undefined => {
        if (!lastOf(server[field])) {
            return undefined;
        }
        const prefix = `${field}.`;
        return Object.fromEntries([...strings].filter(([where]) => where.startsWith(prefix)).map(([where, v]) => [where.slice(prefix.length), v]));
    };
    const args = lastOf(server.args);
    const timeout = lastOf(server.timeout);
    return {
        ...(failure && { failure }),
        name: server.name,
        command: lastOf(server.command),
        args: args ? args.items.map((_, i) => strings.get(`args[${i}]`) ?? '') : undefined,
        env: record('env'),
        cwd: lastOf(server.cwd) === undefined ? undefined : strings.get('cwd'),
        url: lastOf(server.url) === undefined ? undefined : strings.get('url'),
        headers: record('headers'),
        timeoutMs: timeout ? parseDuration(timeout) : undefined,
        location: locationOf(server),
    };
}
