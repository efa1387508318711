/** What hears a debug run besides the debugger (the runs view, the graph, the status bar). */
import type { DebugPausedParams, RunResult } from '../../shared/lsp-protocol.js';
import type { RunEvent } from '../../shared/run-report.js';

/** What hears a debug run besides the debugger: its events, its stops and its end. */
export interface DebugRunFollower {
    onEvent(event: RunEvent): void;
    onWarning(message: string): void;
    onPaused(paused: DebugPausedParams): void;
    /** The run ended with `result`; undefined: the request failed. */
    end(result?: RunResult): void;
}
