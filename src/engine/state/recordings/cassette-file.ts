/**
 * Cassettes on disk: where a name's cassette lives (`ROOT/.kmflow/recordings/NAME.json`),
 * reading one (every problem a CassetteError naming the file and why: missing, not JSON,
 * another `version`, a malformed part) and writing one as plain, diffable JSON (stable key
 * order, 2-space indent, a final newline; written whole or not at all).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { CASSETTE_VERSION, CassetteError, type Cassette, type Interaction, type RecordedAttempt } from './cassette-types.js';
import { sortKeys } from './cassette-values.js';

/** Where `kmflow run --record NAME` writes, under the workspace root. */
export const RECORDINGS_DIR = path.join('.kmflow', 'recordings');

/**
 * The file of cassette `name`: a bare name is `ROOT/.kmflow/recordings/NAME.json`; a name
 * with a path separator or ending in `.json` is a path, relative to `base` (default the root).
 */
export function cassettePath(root: string, name: string, base: string = root): string {
    if (name.endsWith('.json') || name.includes('/') || name.includes(path.sep)) {
        return path.resolve(base, name);
    }
    return path.join(root, RECORDINGS_DIR, `${name}.json`);
}

/** Reads and checks a cassette; throws a CassetteError (never anything else) when it cannot be used. */
export async function readCassette(file: string): Promise<Cassette> {
    let text: string;
    try {
        text = await readFile(file, 'utf8');
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new CassetteError(file, code === 'ENOENT'
            ? 'no such file (record one with `kmflow run FILE --record NAME`)'
            : `cannot be read (${code ?? (err as Error).message})`);
    }
    return { ...parseCassette(text, file), file };
}

/** A cassette from its JSON text; `file` names it in errors. */
export function parseCassette(text: string, file: string): Cassette {
    let data: unknown;
    try {
        data = JSON.parse(text);
    } catch (err) {
        throw new CassetteError(file, `is not valid JSON (${(err as Error).message}); record it again`);
    }
    if (!isObject(data)) {
        throw new CassetteError(file, 'is not a cassette (a JSON object with a `version` field)');
    }
    const version = data.version;
    if (version !== CASSETTE_VERSION) {
        const why = typeof version !== 'number'
            ? 'has no `version` field'
            : version < CASSETTE_VERSION
                ? `has format version ${version}, an older one`
                : `has format version ${version}, from a newer kmflow`;
        throw new CassetteError(file, `${why}; this kmflow reads version ${CASSETTE_VERSION} only: record it again`);
    }
    return checkShape(data, file);
}

/** The cassette as written: stable key order, 2-space indent, final newline. */
export function formatCassette(cassette: Cassette): string {
    const servers: Record<string, unknown> = {};
    for (const name of Object.keys(cassette.servers).sort()) {
        servers[name] = { tools: cassette.servers[name]!.tools.map(sortKeys) };
    }
    const out = {
        version: cassette.version,
        workflows: cassette.workflows,
        servers,
        interactions: cassette.interactions.map(formatInteraction),
    };
    return `${JSON.stringify(out, null, 2)}\n`;
}

/** Writes `cassette` to `file` (folders made; a temporary file renamed over it, so a reader never sees half). */
export async function writeCassette(file: string, cassette: Cassette): Promise<void> {
    await mkdir(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, formatCassette(cassette), 'utf8');
    await rename(temporary, file);
}

function formatInteraction(i: Interaction): Record<string, unknown> {
    return {
        server: i.server,
        tool: i.tool,
        ...(i.step !== undefined && { step: i.step }),
        arguments: sortKeys(i.arguments),
        ...(i.annotations !== undefined && { annotations: sortKeys(i.annotations) }),
        ...(i.attempts ? { attempts: i.attempts.map(formatAttempt) } : formatAttempt(i as RecordedAttempt)),
    };
}

function formatAttempt(a: RecordedAttempt): Record<string, unknown> {
    return {
        durationMs: a.durationMs ?? 0,
        ...(a.result !== undefined && { result: sortKeys(a.result) }),
        ...(a.error !== undefined && { error: sortKeys(a.error) }),
    };
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The parts a replay reads, each checked; the first malformed one is named. */
function checkShape(data: Record<string, unknown>, file: string): Cassette {
    const bad = (where: string, what: string): never => {
        throw new CassetteError(file, `${where} ${what}; record it again`);
    };
    const workflows = data.workflows ?? [];
    if (!Array.isArray(workflows) || !workflows.every((w) => typeof w === 'string')) {
        bad('`workflows`', 'is not a list of workflow ids');
    }
    if (!isObject(data.servers)) {
        bad('`servers`', 'is not an object of servers by name');
    }
    const servers = data.servers as Record<string, unknown>;
    for (const [name, server] of Object.entries(servers)) {
        if (!isObject(server) || !Array.isArray(server.tools)) {
            bad(`servers.${name}`, 'has no `tools` list');
        }
        ((server as { tools: unknown[] }).tools).forEach((tool, k) => {
            if (!isObject(tool) || typeof tool.name !== 'string' || !isObject(tool.inputSchema)) {
                bad(`servers.${name}.tools[${k}]`, 'is not a tool (a `name` and an `inputSchema`)');
            }
        });
    }
    if (!Array.isArray(data.interactions)) {
        bad('`interactions`', 'is not a list');
    }
    (data.interactions as unknown[]).forEach((i, k) => {
        const where = `interactions[${k}]`;
        if (!isObject(i) || typeof i.server !== 'string' || typeof i.tool !== 'string') {
            return bad(where, 'has no `server` and `tool`');
        }
        if (!isObject(i.arguments)) {
            return bad(`${where}.arguments`, 'is not an object');
        }
        if (i.attempts !== undefined) {
            if (!Array.isArray(i.attempts) || i.attempts.length === 0) {
                return bad(`${where}.attempts`, 'is not a non-empty list');
            }
            i.attempts.forEach((a, n) => checkAttempt(a, `${where}.attempts[${n}]`, bad));
        } else {
            checkAttempt(i, where, bad);
        }
    });
    return { ...data, workflows } as unknown as Cassette;
}

function checkAttempt(a: unknown, where: string, bad: (where: string, what: string) => never): void {
    if (!isObject(a)) {
        bad(where, 'is not an object');
    }
    const attempt = a as Record<string, unknown>;
    if (isObject(attempt.result) === isObject(attempt.error)) {
        bad(where, 'needs exactly one of `result` and `error`');
    }
    if (isObject(attempt.error) && (typeof attempt.error.code !== 'string' || typeof attempt.error.message !== 'string')) {
        bad(`${where}.error`, 'needs a `code` and a `message`');
    }
}
