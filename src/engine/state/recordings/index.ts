/**
 * Recording and replay of MCP calls (cassettes). docs/testing.md tells the user's side.
 *
 * Record (what `kmflow run --record NAME` does through the app layer's RunRequest.record):
 *
 * ```ts
 * const recorder = new CassetteRecorder();
 * const pool = new McpConnectorPool(servers, options);
 * const listing = await pool.listAll();
 * recorder.listed(listing.servers);                        // the tools a replay registers
 * const connectors = recordingConnectors(pool, recorder);  // RunOptions.connectors (plus built-ins)
 * const report = await runWorkflow(workflow, { ...options, connectors });
 * await writeCassette(cassettePath(root, 'NAME'), recorder.cassette({ workflows: [workflow.id], secrets }));
 * ```
 *
 * Replay (`kmflow run --replay NAME`, RunRequest.replay; `kmflow test`'s `replay "NAME"`):
 *
 * ```ts
 * const cassette = await readCassette(cassettePath(root, 'NAME'));  // CassetteError when unusable
 * const replay = replayConnectors(cassette, servers, { secrets });   // no server starts
 * registerServerTools(registry, replay.tools);                       // SERVER.TOOL steps get their schemas
 * const report = await runWorkflow(workflow, { ...options, connectors: replay.connectors });
 * replay.replayer.unused();                                          // recorded calls nobody made
 * ```
 *
 * - `secrets`: the run's secret values (`secretValuesOf`); recording masks them in the whole
 *   cassette, replay masks them in a call's arguments before matching.
 * - Matching: server + tool + canonical arguments; the nth identical call gets the nth
 *   recorded answer; a task's retry gets the next attempt of its interaction. Other
 *   arguments: ToolError `replay-divergence` with a diff; nothing recorded: `replay-missing`.
 * - Built-in tools are not recorded: they run for real (the app layer runs a replay in a
 *   temporary copy of the workspace).
 */
export { CASSETTE_VERSION, CassetteError, attemptsOf, type Cassette, type Interaction, type RecordedAttempt, type RecordedError, type RecordedServer } from './cassette-types.js';
export { RECORDINGS_DIR, cassettePath, readCassette, parseCassette, formatCassette, writeCassette } from './cassette-file.js';
export { CassetteRecorder, type CassetteOptions } from './recorder.js';
export { CassetteReplayer, type ReplayOptions } from './replayer.js';
export { recordingConnectors, replayConnectors, type ReplayConnectors } from './connectors.js';
export { argumentDiff } from './argument-diff.js';
