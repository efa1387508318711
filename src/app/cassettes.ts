/**
 * Recorded and replayed runs in the app layer (RunRequest `record` / `replay`), one way
 * for every front door. A recorded run opens its servers as usual, every call passing a
 * recorder, and starts with an empty result cache so every call reaches its server; the
 * cassette is written when the run ends, the run's secrets masked. A replayed run starts
 * no server: its MCP calls are answered from the cassette, its built-ins run for real in
 * a temporary copy of the workspace (so nothing writes the real one), again with an
 * empty cache.
 */
import { cp, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { registerServerTools } from '../engine/tools/index.js';
import { serverSecretNames } from '../engine/tools/index.js';
import { envView, pickSecrets, scopeValues, secretInputNames, secretValuesOf } from '../engine/security/index.js';
import type { Trust } from '../engine/security/index.js';
import type { ServerSpec } from '../engine/model/index.js';
import {
    readCassette, replayConnectors, writeCassette, type Cassette, type CassetteRecorder, type CassetteReplayer,
} from '../engine/state/index.js';
import type { PreparedRun } from '../language/prepare-run.js';
import { serversUsed, uniqueByName, type RunConnectors } from './connect.js';

/** Folders a replay's copy of the workspace leaves out: history, state and dependencies. */
const NOT_COPIED = new Set(['.git', '.kmflow', 'node_modules']);

type Runs = ReadonlyArray<{ prepared: Pick<PreparedRun, 'workflow' | 'registry' | 'servers'>; inputs?: Record<string, unknown> }>;

/** Where a run's secrets come from (RunRequest's `env` and `secrets`, the workspace's Trust). */
export interface SecretSources {
    env?: Record<string, string | undefined>;
    secrets?: Record<string, string>;
    trust: Trust;
}

/**
 * Every secret value of the runs, as their redacting sink knows them: the caller's
 * secrets, the environment's read as `secret.NAME`, the inputs declared `secret`, and
 * the server blocks' `${secret.NAME}` (`serverSecrets`).
 */
export function runSecretValues(runs: Runs, sources: SecretSources, serverSecrets: Record<string, string> = {}): string[] {
    const values = Object.values(serverSecrets);
    for (const run of runs) {
        const workflow = run.prepared.workflow;
        const { secrets } = scopeValues(workflow, sources);
        values.push(...secretValuesOf(secrets, run.inputs ?? {}, secretInputNames(workflow.inputs)));
    }
    return values;
}

/** A temporary folder, and how to remove it. */
export interface TemporaryDir {
    dir: string;
    remove(): Promise<void>;
}

/** An empty temporary folder (`prefix` names it). */
export async function temporaryDir(prefix: string): Promise<TemporaryDir> {
    const dir = await realpath(await mkdtemp(path.join(tmpdir(), prefix)));
    return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A temporary copy of the workspace `root`, without `.git`, `.kmflow` and `node_modules`. */
export async function workspaceCopy(root: string): Promise<TemporaryDir> {
    const copy = await temporaryDir('kmflow-replay-');
    try {
        await cp(root, copy.dir, {
            recursive: true,
            force: true,
            filter: (source) => source === root || !NOT_COPIED.has(path.basename(source)),
        });
    } catch (err) {
        await copy.remove();
        throw err;
    }
    return copy;
}

/** What a replayed run uses: its connectors, its root (a copy) and the matcher. */
export interface ReplaySession {
    connectors: RunConnectors;
    replayer: CassetteReplayer;
    /** The temporary copy of the workspace the run works in. */
    root: string;
    /** Removes the copy. */
    dispose(): Promise<void>;
}

/**
 * Opens a replay of `cassette` (a file, or one already read; CassetteError when it cannot
 * be used) for `runs`: each run's registry gets the recorded servers' tools.
 */
export async function openReplay(runs: Runs, cassette: string | Cassette, options: SecretSources & {
    root: string; servers?: ServerSpec[];
}): Promise<ReplaySession> {
    const loaded = typeof cassette === 'string' ? await readCassette(cassette) : cassette;
    const servers = options.servers ?? uniqueByName(runs.flatMap((r) => serversUsed(r.prepared)));
    const serverSecrets = pickSecrets(serverSecretNames(servers), options.secrets, envView(options.env, options.trust));
    const replay = replayConnectors(loaded, servers, { secrets: runSecretValues(runs, options, serverSecrets) });
    for (const run of runs) {
        registerServerTools(run.prepared.registry, replay.tools);
    }
    const copy = await workspaceCopy(options.root);
    return {
        connectors: { map: replay.connectors, warnings: replay.warnings, secrets: serverSecrets, close: async () => undefined },
        replayer: replay.replayer,
        root: copy.dir,
        dispose: () => copy.remove(),
    };
}

/** Writes what `recorder` holds to `file`, the runs' secrets (`secrets`) masked. */
export async function writeRecording(file: string, recorder: CassetteRecorder, runs: Runs, secrets: string[]): Promise<void> {
    const workflows = [...new Set(runs.map((r) => r.prepared.workflow.id))];
    await writeCassette(file, recorder.cassette({ workflows, secrets }));
}
