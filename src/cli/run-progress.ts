/**
 * Live progress of a run on stderr: on a terminal, one line per running step redrawn in
 * place; elsewhere (CI logs, pipes), one line per event, written in batches (what one turn
 * of the event loop printed, at most 16 KB, in one write: a 10,000-step run would
 * otherwise spend more time writing lines than running steps). A step's start is printed
 * only if it is still running when its batch is written (or when something else is said
 * of it first): one that ended in the same turn has its end line, which says all its start
 * would, as the journal leaves out such starts (a 10,000-step run of quick steps prints
 * 10,000 lines, not 20,000). A step that hangs is always seen to have started. Secrets are
 * already masked in the events the engine emits.
 */
import type { RunEvent, RunReport, StepStatus } from '../engine/run/index.js';
import { formatDuration } from '../shared/duration-format.js';

const ICONS: Record<StepStatus | 'running', string> = {
    succeeded: '✓', failed: '✗', skipped: '○', cancelled: '■', compensated: '↺', running: '▶',
};

export class RunProgress {
    private readonly running = new Map<string, { tool: string; since: number; note: string }>();
    private drawn = 0;
    private timer: NodeJS.Timeout | undefined;
    /** Lines not written yet (not on a terminal). */
    private pending = '';
    /** The start lines of steps started since the last write (not on a terminal), by step. */
    private readonly starts = new Map<string, string>();
    private flushing: NodeJS.Immediate | undefined;

    constructor(private readonly stream: NodeJS.WriteStream, private readonly live = Boolean(stream.isTTY)) {
        if (this.live) {
            this.timer = setInterval(() => this.redraw(), 200);
            this.timer.unref();
        }
    }

    onEvent(event: RunEvent): void {
        switch (event.type) {
            case 'run-started':
                this.print(`▶ ${event.workflow}: ${event.steps} step(s)`);
                break;
            case 'step-started':
                // Running steps are kept only to be redrawn: off a terminal each start is a line.
                if (this.live) {
                    this.running.set(event.stepId, { tool: event.tool, since: Date.now(), note: event.items ? `0/${event.items}` : '' });
                } else {
                    this.starts.set(event.stepId, `  ▶ ${event.stepId} (${event.tool})${event.items ? ` × ${event.items}` : ''}`);
                    this.schedule();
                }
                break;
            case 'step-progress': {
                const entry = this.running.get(event.stepId);
                if (entry) {
                    entry.note = event.total ? `${event.progress}/${event.total}` : String(event.progress);
                    if (event.message) {
                        entry.note += ` ${event.message}`;
                    }
                }
                break;
            }
            case 'step-retrying':
                this.startPrinted(event.stepId);
                this.print(`  ↻ ${event.stepId}: attempt ${event.attempt} failed (${event.error.message}); retrying in ${formatDuration(event.delayMs)}`);
                break;
            case 'step-finished': {
                if (this.live) {
                    this.running.delete(event.stepId);
                } else {
                    this.starts.delete(event.stepId); // its end says it started
                }
                const why = event.error ? `: ${event.error.message}` : '';
                this.print(`  ${ICONS[event.status]} ${event.stepId} ${event.status} in ${formatDuration(event.durationMs)}${why}`);
                break;
            }
            case 'log':
                if (event.stepId) {
                    this.startPrinted(event.stepId);
                }
                this.print(`  ${event.stepId ? `[${event.stepId}] ` : ''}${event.message}`);
                break;
            case 'run-finished':
                this.stop();
                break;
        }
    }

    stop(): void {
        if (this.timer) {
            clearInterval(this.timer);
            this.timer = undefined;
        }
        this.flush();
        this.clear();
    }

    /** Writes the lines that wait, with the starts of the steps still running. */
    flush(): void {
        if (this.flushing) {
            clearImmediate(this.flushing);
            this.flushing = undefined;
        }
        for (const line of this.starts.values()) {
            this.pending += `${line}\n`;
        }
        this.starts.clear();
        if (this.pending) {
            const text = this.pending;
            this.pending = '';
            this.stream.write(text);
        }
    }

    /** A step's start line, if it waits, goes out before anything else said of the step. */
    private startPrinted(stepId: string): void {
        const line = this.starts.get(stepId);
        if (line !== undefined) {
            this.starts.delete(stepId);
            this.pending += `${line}\n`;
        }
    }

    /** The lines that wait are written at the end of this turn of the event loop. */
    private schedule(): void {
        this.flushing ??= setImmediate(() => {
            this.flushing = undefined;
            this.flush();
        });
    }

    private print(line: string): void {
        if (!this.live) {
            this.pending += `${line}\n`;
            if (this.pending.length >= 16 * 1024) {
                this.flush();
            } else {
                this.schedule();
            }
            return;
        }
        this.clear();
        this.stream.write(`${line}\n`);
        this.redraw();
    }

    private clear(): void {
        if (this.live && this.drawn > 0) {
            this.stream.write(`\x1b[${this.drawn}A\x1b[0J`);
            this.drawn = 0;
        }
    }

    private redraw(): void {
        if (!this.live || !this.timer) {
            return;
        }
        this.clear();
        const now = Date.now();
        const width = this.stream.columns ?? 100;
        for (const [id, r] of this.running) {
            const line = `  ${ICONS.running} ${id} (${r.tool}) ${formatDuration(now - r.since)} ${r.note}`;
            this.stream.write(`${line.slice(0, width - 1)}\n`);
        }
        this.drawn = this.running.size;
    }
}

/** The report as a short table for people. */
export function formatReport(report: RunReport): string {
    const idWidth = Math.max(4, ...report.steps.map((s) => s.id.length));
    const toolWidth = Math.max(4, ...report.steps.map((s) => s.tool.length));
    const lines = [
        `${report.workflow} ${report.status} in ${formatDuration(report.durationMs)} ` +
        `(critical path ${formatDuration(report.criticalPathMs)}, run ${report.runId})`,
    ];
    for (const s of report.steps) {
        const extra = [
            s.attempts > (s.items ?? 1) ? `${s.attempts} attempts` : '',
            s.items !== undefined ? `${s.items} items` : '',
            s.cached ? 'cached' : '',
            s.error ? `${s.error.code}: ${s.error.message}` : '',
        ].filter(Boolean).join(', ');
        lines.push(`  ${ICONS[s.status]} ${s.id.padEnd(idWidth)}  ${s.tool.padEnd(toolWidth)}  ${s.status.padEnd(11)} ` +
            `${formatDuration(s.durationMs).padStart(7)}${extra ? `  ${extra}` : ''}`);
        if (s.error?.advice) {
            lines.push(`      advice: ${s.error.advice}`);
        }
    }
    const m = report.metrics;
    lines.push(`  health ${m.healthScore}, utilization ${(m.utilization * 100).toFixed(0)}%, ` +
        `max concurrency ${m.maxConcurrency}, ${m.stepsPerSecond.toFixed(1)} steps/s`);
    for (const b of report.bottlenecks.slice(0, 3)) {
        lines.push(`  ⚠ ${b.message}`);
    }
    return lines.join('\n');
}
