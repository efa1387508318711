/**
 * One debug run in the server (`kmflow/run` with `debug`): the engine's step gate
 * (engine `step-gate.ts`) that stops before a step on entry, at a breakpoint (a step
 * name) or after a `step`, tells the client with a `paused` run event (the step, its
 * line, its parameters and the finished steps' outputs, masked by the engine), and
 * waits for `kmflow/debugResume`. A cancelled run's stop is let go with `cancel`.
 */
import type { GateDecision, GateStep, StepGate } from '../../engine/run/index.js';
import type { DebugOptions, DebugPausedParams, PauseReason } from '../../shared/lsp-protocol.js';
import type { ServerContext } from '../context.js';

export class DebugSession {
    private breakpoints: Set<string>;
    private stopOnEntry: boolean;
    /** Stop before the next step (after a `step` action). */
    private stepping = false;
    private waiting: ((decision: GateDecision) => void) | undefined = undefined;
    private ended = false;

    constructor(
        readonly runId: string,
        options: DebugOptions,
        private readonly paused: (params: DebugPausedParams) => void,
    ) {
        this.breakpoints = new Set(options.breakpoints);
        this.stopOnEntry = options.stopOnEntry;
    }

    /** The run's gate. */
    readonly gate: StepGate = (step: GateStep, params) => {
        const reason = this.reasonAt(step.id);
        if (reason === undefined) {
            return Promise.resolve('go');
        }
        if (this.ended) {
            return Promise.resolve('cancel');
        }
        return new Promise<GateDecision>((resolve) => {
            this.waiting = resolve;
            this.paused({
                kind: 'paused', runId: this.runId, step: step.id, reason,
                ...(step.location && { line: step.location.line }),
                params: { ...params }, outputs: step.outputs(),
            });
        });
    };

    private reasonAt(step: string): PauseReason | undefined {
        const entry = this.stopOnEntry;
        this.stopOnEntry = false;
        const stepping = this.stepping;
        this.stepping = false;
        return entry ? 'entry' : stepping ? 'step' : this.breakpoints.has(step) ? 'breakpoint' : undefined;
    }

    /** Whether the run is stopped, waiting for a resume. */
    get isPaused(): boolean {
        return this.waiting !== undefined;
    }

    /** Goes on from a stop: to the next breakpoint, or stopping before the next step. False when not stopped. */
    resume(action: 'continue' | 'step'): boolean {
        const go = this.waiting;
        if (go === undefined) {
            return false;
        }
        this.waiting = undefined;
        this.stepping = action === 'step';
        go('go');
        return true;
    }

    setBreakpoints(breakpoints: readonly string[]): void {
        this.breakpoints = new Set(breakpoints);
    }

    /** The run is over or cancelled: a stop waiting is let go, none is made again. */
    end(): void {
        this.ended = true;
        const go = this.waiting;
        this.waiting = undefined;
        go?.('cancel');
    }
}

/** The debug runs going on, per server. */
const sessions = new WeakMap<ServerContext, Map<string, DebugSession>>();

export function debugSessions(ctx: ServerContext): Map<string, DebugSession> {
    let map = sessions.get(ctx);
    if (map === undefined) {
        map = new Map();
        sessions.set(ctx, map);
    }
    return map;
}
