/**
 * The `kmflow` debug adapter's message handling (the Debug Adapter Protocol), with no
 * `vscode` import: `debug-adapter-factory.ts` hands it to VS Code as an inline adapter,
 * and tests drive it in plain Node against a real language server.
 *
 * A launch prepares the workflow (`kmflow/prepare`: its steps and their lines), sends
 * `initialized`, takes the breakpoints (a line in a step's block stops before that step,
 * shown on its first line; any other line is unverified) and, at `configurationDone`, starts `kmflow/run`
 * with `debug`. Each `paused` run event becomes a `stopped` event; the one thread's one
 * frame is the paused step at its line, its scopes Parameters and Outputs (of the
 * finished steps), JSON expanded. continue, next (step in and out too) resume through
 * `kmflow/debugResume`; disconnect and terminate cancel the run; its end is `terminated`.
 * `follow` (the extension's RunController) hears the run too: the runs view, the graph
 * and the status bar show it live, as a run started with Run.
 */
import { pathToFileURL } from 'node:url';
import * as path from 'node:path';
import type { DebugPausedParams, KmflowRequest, ParamsOf, Prepared, ResultOf, RunResult } from '../../shared/lsp-protocol.js';
import { isRefusal } from '../../shared/lsp-protocol.js';
import type { RunEvent } from '../../shared/run-report.js';
import { VariableStore } from './debug-variables.js';
import type { DebugRunFollower } from './debug-run-follower.js';

/** A DAP message, as the inline adapter gets and sends it. */
export interface DapMessage {
    seq: number;
    type: 'request' | 'response' | 'event';
    command?: string;
    arguments?: Record<string, unknown>;
    [key: string]: unknown;
}

/** What the adapter asks of the language server (the extension's KmflowClient). */
export interface DebugServer {
    request<M extends KmflowRequest>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
    listen(runId: string, listener: { onEvent(e: RunEvent): void; onWarning(m: string): void; onPaused?(p: DebugPausedParams): void }): () => void;
    cancelRun(runId: string): void;
}

export interface DebugAdapterDeps {
    server: DebugServer;
    /** Delivers a response or event to the editor. */
    send(message: DapMessage): void;
    /** The stored secrets as `kmflow/run` carries them (sealed). */
    secrets?(): Promise<{ sealedSecrets: string } | { secrets: Record<string, string> }>;
    /** Asks for the inputs the launch did not give; undefined: the user gave up. */
    askInputs?(prepared: Prepared): Promise<Record<string, string> | undefined>;
    /** Shows the run live as a run started with Run is shown (runs view, graph, status bar). */
    follow?(runId: string, prepared: Prepared): DebugRunFollower;
}

/** The launch configuration's own attributes. */
export interface KmflowLaunch {
    /** The `.kmflow` file. */
    program: string;
    /** Its URI as the editor names it (default: from `program`). */
    uri?: string;
    /** Default: the file's first workflow. */
    workflow?: string;
    stopOnEntry?: boolean;
    inputs?: Record<string, string>;
}

const THREAD = 1;
const FRAME = 1;

export class KmflowDebugAdapter {
    private seq = 1;
    private lineBase = 1;
    private launch: KmflowLaunch | undefined;
    private prepared: Prepared | undefined;
    private runId: string | undefined;
    private breakpoints = new Set<string>();
    private paused: DebugPausedParams | undefined;
    private readonly vars = new VariableStore();
    private configured!: () => void;
    private readonly configurationDone = new Promise<void>((resolve) => (this.configured = resolve));
    private stopListening: (() => void) | undefined;
    private ended = false;

    constructor(private readonly deps: DebugAdapterDeps) {}

    /** Handles one request from the editor. */
    handleMessage(message: DapMessage): void {
        if (message.type !== 'request') {
            return;
        }
        void this.dispatch(message).catch((err: unknown) => this.respond(message, false, undefined, err instanceof Error ? err.message : String(err)));
    }

    private async dispatch(request: DapMessage): Promise<void> {
        const args = request.arguments ?? {};
        switch (request.command) {
            case 'initialize':
                this.lineBase = args.linesStartAt1 === false ? 0 : 1;
                this.respond(request, true, { supportsConfigurationDoneRequest: true, supportsTerminateRequest: true });
                return;
            case 'launch':
                return this.onLaunch(request, args as unknown as KmflowLaunch);
            case 'setBreakpoints':
                return this.onSetBreakpoints(request, args);
            case 'configurationDone':
                this.respond(request, true);
                this.configured();
                return;
            case 'threads':
                this.respond(request, true, { threads: [{ id: THREAD, name: this.prepared?.workflow ?? 'workflow' }] });
                return;
            case 'stackTrace':
                return this.onStackTrace(request);
            case 'scopes':
                this.respond(request, true, { scopes: this.paused ? this.vars.scopes() : [] });
                return;
            case 'variables':
                this.respond(request, true, { variables: this.vars.children(Number(args.variablesReference)) });
                return;
            case 'continue':
                await this.resume('continue');
                this.respond(request, true, { allThreadsContinued: true });
                return;
            case 'next':
            case 'stepIn':
            case 'stepOut':
                await this.resume('step');
                this.respond(request, true);
                return;
            case 'disconnect':
            case 'terminate':
                this.cancel();
                this.respond(request, true);
                if (request.command === 'disconnect' || this.runId === undefined) {
                    this.terminate();
                }
                return;
            default:
                this.respond(request, false, undefined, `'${String(request.command)}' is not supported by the KM Flow debugger`);
        }
    }

    private async onLaunch(request: DapMessage, launch: KmflowLaunch): Promise<void> {
        this.launch = launch;
        const uri = this.uriOf(launch);
        const prepared = await this.deps.server.request('kmflow/prepare', { uri, ...(launch.workflow !== undefined && { workflow: launch.workflow }) });
        if (isRefusal(prepared)) {
            this.respond(request, false, undefined, prepared.message);
            this.terminate();
            return;
        }
        this.prepared = prepared;
        this.event('initialized');
        await this.configurationDone;
        const asked = prepared.ask.filter((i) => launch.inputs?.[i.name] === undefined);
        const more = asked.length > 0 && this.deps.askInputs ? await this.deps.askInputs({ ...prepared, ask: asked }) : {};
        if (more === undefined) {
            this.respond(request, false, undefined, 'the run needs its inputs');
            this.terminate();
            return;
        }
        const secrets = this.deps.secrets ? await this.deps.secrets() : {};
        const runId = (this.runId = `${prepared.workflow}-debug-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`);
        const follower = this.deps.follow?.(runId, prepared);
        this.stopListening = this.deps.server.listen(runId, {
            onEvent: (e) => { follower?.onEvent(e); this.onRunEvent(e); },
            onWarning: (m) => { follower?.onWarning(m); this.output(`warning: ${m}\n`); },
            onPaused: (p) => { follower?.onPaused(p); this.onPaused(p); },
        });
        const run = this.deps.server.request('kmflow/run', {
            uri, workflow: prepared.workflow, runId, inputs: { ...launch.inputs, ...more }, ...secrets,
            debug: { breakpoints: [...this.breakpoints], stopOnEntry: launch.stopOnEntry === true },
        });
        this.respond(request, true);
        void run.then((result) => {
            follower?.end(result);
            this.onRunEnd(result);
        }, (err: unknown) => {
            follower?.end();
            this.output(`the run failed: ${err instanceof Error ? err.message : String(err)}\n`);
            this.terminate();
        });
    }

    private async onSetBreakpoints(request: DapMessage, args: Record<string, unknown>): Promise<void> {
        const source = args.source as { path?: string } | undefined;
        const wanted = ((args.breakpoints as Array<{ line: number }> | undefined) ?? []).map((b) => b.line);
        const ours = source?.path !== undefined && this.launch !== undefined && samePath(source.path, this.launch.program);
        const steps = this.prepared?.steps ?? [];
        const names: string[] = [];
        const breakpoints = wanted.map((line) => {
            const at = line + 1 - this.lineBase;
            const step = ours ? steps.find((s) => s.line !== undefined && s.line <= at && at <= (s.lastLine ?? s.line)) : undefined;
            if (step) {
                names.push(step.id);
                // Shown on the step's first line: the run stops before the step.
                return { verified: true, line: step.line! - 1 + this.lineBase };
            }
            return { verified: false, line, message: ours ? 'not in a step: a breakpoint stops before a step' : 'not in the workflow being debugged' };
        });
        if (ours) {
            this.breakpoints = new Set(names);
            if (this.runId !== undefined) {
                await this.deps.server.request('kmflow/debugBreakpoints', { runId: this.runId, breakpoints: names });
            }
        }
        this.respond(request, true, { breakpoints });
    }

    private onStackTrace(request: DapMessage): void {
        const p = this.paused;
        const launch = this.launch;
        if (!p || !launch) {
            this.respond(request, true, { stackFrames: [], totalFrames: 0 });
            return;
        }
        const line = (p.line ?? 1) - 1 + this.lineBase;
        const frame = { id: FRAME, name: `step ${p.step}`, source: { name: path.basename(launch.program), path: launch.program }, line, column: this.lineBase };
        this.respond(request, true, { stackFrames: [frame], totalFrames: 1 });
    }

    private async resume(action: 'continue' | 'step'): Promise<void> {
        if (this.runId === undefined || !this.paused) {
            return;
        }
        this.paused = undefined;
        this.vars.clear();
        await this.deps.server.request('kmflow/debugResume', { runId: this.runId, action });
    }

    private onPaused(p: DebugPausedParams): void {
        this.paused = p;
        this.vars.reset(p.params, p.outputs);
        this.event('stopped', { reason: p.reason, description: `Paused before step ${p.step}`, threadId: THREAD, allThreadsStopped: true });
    }

    private onRunEvent(e: RunEvent): void {
        if (e.type === 'step-finished') {
            this.output(`${e.stepId}: ${e.status}${e.error ? ` — ${e.error.message}` : ''}\n`);
        } else if (e.type === 'log') {
            this.output(`${e.message}\n`);
        }
    }

    private onRunEnd(result: RunResult): void {
        if (isRefusal(result)) {
            this.output(`KM Flow: ${result.message}\n`, 'stderr');
        } else {
            this.output(`run ${result.report.status} in ${Math.round(result.report.durationMs)} ms\n`);
        }
        this.terminate();
    }

    /** The editor let the adapter go: a run still going is cancelled. */
    dispose(): void {
        this.cancel();
        this.ended = true;
        this.stopListening?.();
    }

    private cancel(): void {
        if (this.runId !== undefined && !this.ended) {
            this.deps.server.cancelRun(this.runId);
        }
    }

    private terminate(): void {
        if (this.ended) {
            return;
        }
        this.ended = true;
        this.paused = undefined;
        this.stopListening?.();
        this.event('terminated');
    }

    private uriOf(launch: KmflowLaunch): string {
        return launch.uri ?? pathToFileURL(launch.program).toString();
    }

    private output(text: string, category = 'console'): void {
        this.event('output', { category, output: text });
    }

    private event(event: string, body?: unknown): void {
        this.deps.send({ seq: this.seq++, type: 'event', event, ...(body !== undefined && { body }) });
    }

    private respond(request: DapMessage, success: boolean, body?: unknown, message?: string): void {
        this.deps.send({
            seq: this.seq++, type: 'response', request_seq: request.seq, command: request.command, success,
            ...(body !== undefined && { body }), ...(message !== undefined && { message }),
        });
    }
}

function samePath(a: string, b: string): boolean {
    const norm = (p: string): string => path.resolve(p).replace(/\\/g, '/');
    return process.platform === 'win32' || process.platform === 'darwin' ? norm(a).toLowerCase() === norm(b).toLowerCase() : norm(a) === norm(b);
}
