/**
 * What the graph panel's host remembers so that a (re)loaded page, or a page that
 * switches back to a workflow, catches up: the graph on show, and per graph (file and
 * workflow) its latest run. A live run keeps its events; a finished run keeps only what
 * its report cannot say (its start and the retried attempts' errors) and the report.
 * Pure bookkeeping, no VS Code: the panel asks it which messages to post.
 */
import type { GraphMessage, HostMessage, RunEvent, RunReport } from './messages.js';

/** The key of a graph: its document and workflow. */
export function graphKey(graph: Pick<GraphMessage, 'uri' | 'workflow'>): string {
    return `${graph.uri ?? ''}#${graph.workflow}`;
}

export class ReplayBook {
    private shown?: GraphMessage;
    /** Latest run messages per graph key. */
    private readonly runs = new Map<string, HostMessage[]>();
    /** The graph key each run belongs to. */
    private readonly runKeys = new Map<string, string>();
    /** The graph key of a run that finished with nothing recorded since. */
    private justFinished?: string;

    /** The graph on show. */
    get graph(): GraphMessage | undefined {
        return this.shown;
    }

    /** Whether a run of the graph on show is remembered. */
    hasRun(): boolean {
        return (this.runs.get(this.shownKey)?.length ?? 0) > 0;
    }

    /** Whether a run of the graph on show is going (started, not finished). */
    get live(): boolean {
        const msgs = this.runs.get(this.shownKey);
        return !!msgs && msgs.length > 0 && msgs.every((m) => m.type === 'run-event' && m.event.type !== 'run-finished');
    }

    /**
     * Records `message`; returns what to post now: nothing when it belongs to a graph not
     * on show; the graph and its remembered run when a graph of another workflow comes.
     */
    record(message: HostMessage): HostMessage[] {
        const finished = this.justFinished;
        this.justFinished = undefined;
        switch (message.type) {
            case 'graph': {
                const key = graphKey(message);
                if (key !== this.shownKey && key === finished) {
                    // Re-sent with measured durations after its run, while another graph is on
                    // show (the panel followed an editor): it does not take the panel back.
                    return [];
                }
                const switched = key !== this.shownKey;
                this.shown = message;
                return switched ? this.replay() : [message];
            }
            case 'report':
                return this.finish(message.report, message);
            case 'run-event':
                return this.event(message.event, message);
            default:
                return [message];
        }
    }

    /** Everything a fresh page needs: the graph first, then its run. */
    replay(): HostMessage[] {
        return [...(this.shown ? [this.shown] : []), ...(this.runs.get(this.shownKey) ?? [])];
    }

    /** The key of the graph on show; `''` before any graph (a run shown without its graph). */
    private get shownKey(): string {
        return this.shown ? graphKey(this.shown) : '';
    }

    /** The remembered report of run `runId`, if it finished. */
    report(runId: string): RunReport | undefined {
        for (const msgs of this.runs.values()) {
            for (const m of msgs) {
                if (m.type === 'report' && m.report.runId === runId) {
                    return m.report;
                }
            }
        }
        return undefined;
    }

    private event(event: RunEvent, message: HostMessage): HostMessage[] {
        if (event.type === 'run-started') {
            const key = this.shownKey;
            this.runKeys.set(event.runId, key);
            this.runs.set(key, [message]);
            return this.onShow(key, message);
        }
        if (event.type === 'run-finished') {
            return this.finish(event.report, message);
        }
        const key = this.keyOf(event.runId, undefined);
        const msgs = key !== undefined ? this.runs.get(key) : undefined;
        if (key === undefined || !msgs || !msgs.some((m) => m.type === 'run-event' && m.event.runId === event.runId)) {
            return this.onShow(this.shownKey, message);
        }
        msgs.push(message);
        return this.onShow(key, message);
    }

    private finish(report: RunReport, message: HostMessage): HostMessage[] {
        const key = this.keyOf(report.runId, report.workflow);
        if (key === undefined) {
            return [message];
        }
        this.runKeys.set(report.runId, key);
        // Keep the run's start and its retried attempts (the report holds only the last error).
        const kept = (this.runs.get(key) ?? []).filter((m) => m.type === 'run-event' && m.event.runId === report.runId
            && (m.event.type === 'run-started' || m.event.type === 'step-retrying'));
        this.runs.set(key, [...kept, message.type === 'report' ? message : { type: 'report', report }]);
        this.justFinished = key;
        return this.onShow(key, message);
    }

    /** The graph key of run `runId`: where it started, else the shown graph if of its workflow. */
    private keyOf(runId: string, workflow: string | undefined): string | undefined {
        const known = this.runKeys.get(runId);
        if (known !== undefined) {
            return known;
        }
        return !this.shown || workflow === undefined || this.shown.workflow === workflow ? this.shownKey : undefined;
    }

    private onShow(key: string, message: HostMessage): HostMessage[] {
        return this.shownKey === key ? [message] : [];
    }
}
