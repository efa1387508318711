/**
 * A test's `replay "NAME"`: the calls no stub answers are answered from a recorded
 * cassette (`engine/state/recordings`), the way `kmflow run --replay` answers them, and
 * no server starts. A bare name is `ROOT/.kmflow/recordings/NAME.json`; a path is
 * relative to the test file. The tested workflow's registry gets the recorded servers'
 * tools, so `SERVER.TOOL` steps have their schemas.
 */
import * as path from 'node:path';
import { registerServerTools, type Connector } from '../../engine/tools/index.js';
import { cassettePath, readCassette, replayConnectors, type Cassette } from '../../engine/state/index.js';
import type { PreparedRun } from '../../language/prepare-run.js';
import { serversUsed } from '../connect.js';

/** Reads a cassette once however many tests replay it. */
export type CassetteReader = (file: string) => Promise<Cassette>;

export function cassetteReader(): CassetteReader {
    const read = new Map<string, Promise<Cassette>>();
    return (file) => {
        let cassette = read.get(file);
        if (!cassette) {
            cassette = readCassette(file);
            read.set(file, cassette);
        }
        return cassette;
    };
}

/** Where a test file's `replay "NAME"` cassette is. */
export function testCassettePath(root: string, testFile: string, name: string): string {
    return cassettePath(root, name, path.dirname(testFile));
}

/**
 * The connectors answering a test run's MCP calls from its cassette, by server (throws
 * the CassetteError of an unusable one). `secrets`: the run's secret values, masked in
 * the calls' arguments before matching, as the cassette holds them.
 */
export async function replayForTest(file: string, prepared: PreparedRun, secrets: string[], read: CassetteReader): Promise<ReadonlyMap<string, Connector>> {
    const cassette = await read(file);
    const used = serversUsed(prepared);
    const replay = replayConnectors(cassette, used.length > 0 ? used : undefined, { secrets });
    registerServerTools(prepared.registry, replay.tools);
    return replay.connectors;
}
