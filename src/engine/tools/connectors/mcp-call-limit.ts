/**
 * How long one `tools/call` may take. The step's own `timeout` wins: the engine aborts
 * the call when it passes (and the SDK's limit is set just past it, never first). Else
 * the server's `timeout` bounds the whole call, progress or not. Else a call gives up
 * after `inactivityMs` (10 minutes by default) without a progress notification, so a
 * wedged server cannot hold a step forever.
 */

/** The SDK request options of one call, and the server limit in force (for messages). */
export interface CallLimit {
    timeout: number;
    resetTimeoutOnProgress: boolean;
    maxTotalTimeout?: number;
    /** Set when the server's `timeout` is the limit. */
    serverTimeoutMs?: number;
}

/** Past the step's own timeout, so the engine's timeout (with its message) fires first. */
const STEP_MARGIN_MS = 1000;

export function callLimit(serverTimeoutMs: number | undefined, stepTimeoutMs: number | undefined, inactivityMs: number): CallLimit {
    if (stepTimeoutMs !== undefined) {
        return { timeout: stepTimeoutMs + STEP_MARGIN_MS, resetTimeoutOnProgress: false };
    }
    if (serverTimeoutMs !== undefined) {
        return { timeout: serverTimeoutMs, resetTimeoutOnProgress: false, maxTotalTimeout: serverTimeoutMs, serverTimeoutMs };
    }
    return { timeout: inactivityMs, resetTimeoutOnProgress: true };
}
