/**
 * `kmflow/debugResume` and `kmflow/debugBreakpoints`: what a client says to a debug run
 * (`kmflow/run` with `debug`, `debug/debug-session.ts`) while it goes. `kmflow/cancelRun`
 * ends a debug run as any other.
 */
import type { DebugAck, DebugBreakpointsParams, DebugResumeParams } from '../../shared/lsp-protocol.js';
import type { ServerContext } from '../context.js';
import { debugSessions } from '../debug/debug-session.js';

export function debugResumeRequest(ctx: ServerContext, params: DebugResumeParams): DebugAck {
    return { ok: debugSessions(ctx).get(params.runId)?.resume(params.action) ?? false };
}

export function debugBreakpointsRequest(ctx: ServerContext, params: DebugBreakpointsParams): DebugAck {
    const session = debugSessions(ctx).get(params.runId);
    session?.setBreakpoints(params.breakpoints);
    return { ok: session !== undefined };
}
