/**
 * The `kmflow.servers` setting: MCP servers every workflow of the workspace may use,
 * written like `server` declarations (`{ "km": { "command": "python", "args": [...] } }`).
 * A file's own declaration of the same name wins.
 */
import type { ServerSpec } from '../engine/model/index.js';

const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const stringMap = (v: unknown): v is Record<string, string> =>
    typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');

/** Reads the setting's value; bad entries become problems, one line each. */
export function configuredServers(value: unknown): { servers: ServerSpec[]; problems: string[] } {
    const servers: ServerSpec[] = [];
    const problems: string[] = [];
    if (value === undefined || value === null) {
        return { servers, problems };
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
        return { servers, problems: ['kmflow.servers must be an object of server name to { command, args, env } or { url }'] };
    }
    for (const [name, raw] of Object.entries(value as Record<string, unknown>)) {
        const s = raw as Record<string, unknown> | null;
        if (typeof s !== 'object' || s === null || (typeof s.command !== 'string') === (typeof s.url !== 'string')) {
            problems.push(`kmflow.servers.${name}: give exactly one of "command" or "url"`);
            continue;
        }
        if ((s.args !== undefined && !strings(s.args)) || (s.env !== undefined && !stringMap(s.env))
            || (s.headers !== undefined && !stringMap(s.headers)) || (s.cwd !== undefined && typeof s.cwd !== 'string')) {
            problems.push(`kmflow.servers.${name}: "args" is a list of strings, "env" and "headers" map names to strings, "cwd" is a string`);
            continue;
        }
        servers.push({
            name,
            ...(typeof s.command === 'string' ? { command: s.command } : { url: s.url as string }),
            ...(s.args ? { args: s.args as string[] } : {}),
            ...(s.env ? { env: s.env as Record<string, string> } : {}),
            ...(s.headers ? { headers: s.headers as Record<string, string> } : {}),
            ...(s.cwd ? { cwd: s.cwd as string } : {}),
        });
    }
    return { servers, problems };
}

/** Declared servers plus configured ones whose names no file declares. */
export function mergeServers(declared: readonly ServerSpec[], configured: readonly ServerSpec[]): ServerSpec[] {
    const names = new Set(declared.map((s) => s.name));
    return [...declared, ...configured.filter((s) => !names.has(s.name))];
}
