/**
 * The schema lock, `.kmflow/schemas.lock.json`: the tools each MCP server listed when
 * `kmflow lock` ran, with their schemas and a hash of each, like a package lock.
 * `check` validates against it without starting servers; `check --live` diffs it
 * against what the servers list now.
 */
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeDir } from '../tools/make-dir.js';
import { sha256 } from './cache/canonical.js';
import { mcpToolDescriptor, type McpToolAnnotations, type McpToolInfo } from '../tools/connectors/mcp-descriptor.js';
import type { JsonSchema, ToolDescriptor } from '../model/model.js';

/** The lock format version this code reads and writes. */
export const LOCK_VERSION = 1;

/** Where the lock lives, relative to the workspace root. */
export const LOCK_FILE = path.join('.kmflow', 'schemas.lock.json');

/** One locked tool. `hash` covers the schemas and annotations, nothing else. */
export interface LockedTool {
    hash: string;
    inputSchema: JsonSchema;
    outputSchema?: JsonSchema;
    annotations?: McpToolAnnotations;
}

/** The whole lock file. */
export interface SchemaLock {
    version: typeof LOCK_VERSION;
    servers: Record<string, { tools: Record<string, LockedTool> }>;
}

/** The parts of a tool that are its contract, and so what the lock hashes and diffs. */
const CONTRACT = ['inputSchema', 'outputSchema', 'annotations'] as const;
type ContractField = (typeof CONTRACT)[number];

/** How one tool drifted from the lock. */
export interface ToolDrift {
    server: string;
    tool: string;
    /** `added`: listed now, not locked; `removed`: locked, not listed; `changed`: hash differs. */
    kind: 'added' | 'removed' | 'changed';
    /** For `changed`: which parts differ. */
    fields?: ContractField[];
}

/** A value with object keys sorted, recursively (undefined members dropped, as JSON does). */
function sortedValue(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map((v) => (v === undefined ? null : sortedValue(v)));
    }
    if (value !== null && typeof value === 'object') {
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(value).sort()) {
            const v = (value as Record<string, unknown>)[key];
            if (v !== undefined) {
                out[key] = sortedValue(v);
            }
        }
        return out;
    }
    return value;
}

/** Canonical JSON: sorted keys, no whitespace. Equal data gives equal text. */
export function canonicalJson(value: unknown): string {
    return JSON.stringify(sortedValue(value)) ?? 'null';
}

/** `sha256:<hex>` of the canonical JSON of a tool's input/output schemas and annotations. */
export function toolHash(tool: Pick<McpToolInfo, ContractField>): string {
    const contract = { inputSchema: tool.inputSchema, outputSchema: tool.outputSchema, annotations: tool.annotations };
    return `sha256:${sha256(canonicalJson(contract))}`;
}

/** The locked entry of a listed tool. */
export function lockedTool(tool: McpToolInfo): LockedTool {
    const entry: LockedTool = { hash: toolHash(tool), inputSchema: tool.inputSchema };
    if (tool.outputSchema !== undefined) {
        entry.outputSchema = tool.outputSchema;
    }
    if (tool.annotations !== undefined) {
        entry.annotations = tool.annotations;
    }
    return entry;
}

/** A lock from what servers listed (e.g. `McpListing.servers`). */
export function buildLock(servers: Readonly<Record<string, readonly McpToolInfo[]>>): SchemaLock {
    const lock: SchemaLock = { version: LOCK_VERSION, servers: {} };
    for (const [server, tools] of Object.entries(servers)) {
        const entries: Record<string, LockedTool> = {};
        for (const tool of tools) {
            entries[tool.name] = lockedTool(tool);
        }
        lock.servers[server] = { tools: entries };
    }
    return lock;
}

/**
 * `base` with the servers of `update` replaced: `kmflow lock` keeps the entries of
 * servers it could not reach this time instead of dropping them.
 */
export function mergeLock(base: SchemaLock | undefined, update: SchemaLock): SchemaLock {
    return { version: LOCK_VERSION, servers: { ...base?.servers, ...update.servers } };
}

/** The lock file's path under `root`. */
export function lockPath(root: string): string {
    return path.join(root, LOCK_FILE);
}

function invalid(file: string, why: string): Error {
    return new Error(`${file}: not a valid schema lock (${why}); run \`kmflow lock\` to write it again`);
}

/** Checks the shape of parsed lock JSON; throws naming the file and the problem. */
export function parseLock(text: string, file = LOCK_FILE): SchemaLock {
    let data: unknown;
    try {
        data = JSON.parse(text);
    } catch (err) {
        throw invalid(file, err instanceof Error ? err.message : String(err));
    }
    const lock = data as Partial<SchemaLock> | null;
    if (!lock || typeof lock !== 'object' || Array.isArray(lock)) {
        throw invalid(file, 'not a JSON object');
    }
    if (lock.version !== LOCK_VERSION) {
        throw invalid(file, `version ${JSON.stringify(lock.version)}, expected ${LOCK_VERSION}`);
    }
    if (!lock.servers || typeof lock.servers !== 'object') {
        throw invalid(file, "no 'servers' object");
    }
    for (const [server, entry] of Object.entries(lock.servers)) {
        if (!entry || typeof entry.tools !== 'object' || entry.tools === null) {
            throw invalid(file, `server '${server}' has no 'tools' object`);
        }
        for (const [tool, locked] of Object.entries(entry.tools)) {
            if (!locked || typeof locked.hash !== 'string' || typeof locked.inputSchema !== 'object') {
                throw invalid(file, `tool '${server}.${tool}' needs 'hash' and 'inputSchema'`);
            }
        }
    }
    return lock as SchemaLock;
}

/** Reads `root/.kmflow/schemas.lock.json`; undefined when there is none. */
export async function readLock(root: string): Promise<SchemaLock | undefined> {
    const file = lockPath(root);
    // Most roots have none. Asked first, so that no rejected read is left behind: Node
    // keeps a failed fs promise's error, and its stack the callers' objects (a
    // workspace, its documents), past the end of the command that read.
    if (!existsSync(file)) {
        return undefined;
    }
    let text: string;
    try {
        text = await readFile(file, 'utf8');
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
            return undefined;
        }
        throw err;
    }
    return parseLock(text, file);
}

/** The lock as file text: servers and tools sorted, two-space indent, for clean diffs. */
export function formatLock(lock: SchemaLock): string {
    const servers: Record<string, { tools: Record<string, LockedTool> }> = {};
    for (const server of Object.keys(lock.servers).sort()) {
        const tools: Record<string, LockedTool> = {};
        const locked = lock.servers[server]!.tools;
        for (const name of Object.keys(locked).sort()) {
            tools[name] = locked[name]!;
        }
        servers[server] = { tools };
    }
    return `${JSON.stringify({ version: LOCK_VERSION, servers }, null, 2)}\n`;
}

/** Writes the lock under `root` (atomically: a reader never sees half a file); returns its path. */
export async function writeLock(root: string, lock: SchemaLock): Promise<string> {
    const file = lockPath(root);
    await makeDir(path.dirname(file));
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, formatLock(lock), 'utf8');
    await rename(temp, file);
    return file;
}

/**
 * How `live` (what servers list now, as a lock) differs from `lock`. Only the servers
 * in `live` are compared, or those in `options.servers`: a server that could not be
 * reached is not reported as having lost its tools.
 */
export function diffLock(lock: SchemaLock, live: SchemaLock, options?: { servers?: Iterable<string> }): ToolDrift[] {
    const drift: ToolDrift[] = [];
    const servers = [...(options?.servers ?? Object.keys(live.servers))].sort();
    for (const server of servers) {
        const before = lock.servers[server]?.tools ?? {};
        const now = live.servers[server]?.tools ?? {};
        const names = [...new Set([...Object.keys(before), ...Object.keys(now)])].sort();
        for (const tool of names) {
            const a = before[tool];
            const b = now[tool];
            if (!a) {
                drift.push({ server, tool, kind: 'added' });
            } else if (!b) {
                drift.push({ server, tool, kind: 'removed' });
            } else if (a.hash !== b.hash) {
                const fields = CONTRACT.filter((f) => canonicalJson(a[f]) !== canonicalJson(b[f]));
                drift.push({ server, tool, kind: 'changed', fields });
            }
        }
    }
    return drift;
}

/**
 * Registry descriptors of the locked tools, as the servers would list them (minus
 * titles and descriptions, which the lock does not keep): `check` without servers.
 */
export function lockedDescriptors(lock: SchemaLock): ToolDescriptor[] {
    const tools: ToolDescriptor[] = [];
    for (const [server, { tools: locked }] of Object.entries(lock.servers)) {
        for (const [name, entry] of Object.entries(locked)) {
            tools.push(mcpToolDescriptor(server, { name, inputSchema: entry.inputSchema, outputSchema: entry.outputSchema, annotations: entry.annotations }));
        }
    }
    return tools;
}
