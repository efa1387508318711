/**
 * The step details pane (a node clicked, Enter on a node, or the host's `show-step`):
 * status, timings, the tool and its server, every failed attempt's error (code, message, the tool's
 * advice), the output as a JSON tree with Copy, and the actions the host carries out:
 * Open in editor, Rerun from here, Resume run. Redrawn only when what it shows changed,
 * so folds the user opened stay open while a run goes on.
 */
import { formatDuration } from '../shared/duration-format.js';
import type { StepError, WebviewMessage } from '../shared/messages.js';
import { jsonText, jsonTree } from './json-view.js';
import { html } from './svg.js';
import { stepInfo, type StepInfo, type ViewState } from './view-state.js';
import { stubLine } from '../shared/kmflow-value.js';

const RESUMABLE = new Set(['failed', 'cancelled', 'partial']);

function button(label: string, className: string, title: string, onClick: () => void, disabled = false): HTMLButtonElement {
    const b = html('button', className, label);
    b.type = 'button';
    b.title = title;
    b.disabled = disabled;
    b.addEventListener('click', onClick);
    return b;
}

function errorBlock(error: StepError, className = 'step-error'): HTMLElement {
    const box = html('div', className);
    const head = html('div', 'error-head');
    head.append(html('code', 'error-code', error.code), html('span', 'error-message', error.message));
    box.append(head);
    if (error.advice) {
        const advice = html('div', 'error-advice');
        advice.append(html('span', 'advice-label', 'Advice: '), html('span', 'advice-text', error.advice));
        box.append(advice);
    }
    box.append(html('div', 'error-retryable', error.retryable ? 'retryable' : 'not retryable'));
    return box;
}

function facts(rows: Array<[string, string | undefined]>): HTMLElement {
    const dl = html('dl', 'facts');
    for (const [name, value] of rows) {
        if (value !== undefined && value !== '') {
            dl.append(html('dt', undefined, name), html('dd', undefined, value));
        }
    }
    return dl;
}

function clock(iso: string | null | undefined): string | undefined {
    return iso ? new Date(iso).toLocaleTimeString(undefined, { hour12: false }) + `.${iso.slice(20, 23) || '000'}` : undefined;
}

/** The tool's server, and its name there when that is not the tool's id; `none` for a tool with no implementation. */
function serverText(info: StepInfo, state: ViewState): string | undefined {
    if (info.via) {
        const server = info.via.server === 'builtin' ? 'built-in' : info.via.server;
        return info.via.name === info.tool ? server : `${server} (tool ${info.via.name})`;
    }
    const routed = info.tool === undefined || info.tool.startsWith('capability ');
    return state.graph?.tools && !routed ? 'none (can be planned, not run)' : undefined;
}

export class DetailsView {
    private stepId?: string;
    private signature = '';

    constructor(private readonly host: HTMLElement, private readonly post: (m: WebviewMessage) => void, private readonly onClose: () => void) {
        host.hidden = true;
        host.addEventListener('keydown', (e) => {
            if (e.key === 'Escape') {
                e.preventDefault();
                this.onClose();
            }
        });
    }

    /** The step on show, if the pane is open. */
    get step(): string | undefined {
        return this.stepId;
    }

    /** Opens the pane on `stepId` (undefined closes it). */
    show(stepId: string | undefined, state: ViewState): void {
        this.stepId = stepId;
        this.signature = '';
        this.render(state);
    }

    /** Redraws if what the pane shows changed. */
    render(state: ViewState): void {
        const info = this.stepId ? stepInfo(state, this.stepId) : undefined;
        this.host.hidden = !info;
        document.body.classList.toggle('details-open', !!info);
        if (!info) {
            this.signature = '';
            return;
        }
        const signature = JSON.stringify([info.id, info.status, info.attempts, info.retries.length, info.error?.code, info.endMs, state.runId, state.running, !!info.report]);
        if (signature === this.signature) {
            return;
        }
        this.signature = signature;
        this.host.replaceChildren(...this.content(info, state));
        this.host.dataset.step = info.id;
    }

    private content(info: StepInfo, state: ViewState): HTMLElement[] {
        const head = html('div', 'details-head');
        head.append(html('h2', 'details-title', info.id), html('span', `badge status-${info.status}`, info.status),
            button('×', 'icon-button details-close', 'Close (Escape)', () => this.onClose()));
        const report = state.report;
        const finished = !!report && !state.running;
        const actions = html('div', 'details-actions');
        actions.append(
            button('Open in editor', 'action-open', info.line ? `Reveal line ${info.line}` : 'Reveal the step in its file', () => this.post({ type: 'reveal-step', stepId: info.id })),
            button('Rerun from here', 'action-rerun', !finished ? 'Available once a run has finished'
                : `Resumes run ${report.runId}: ${info.id} and every step after it run again; the steps before keep their journaled outputs`,
            () => finished && this.post({ type: 'step-action', action: 'rerun-from', runId: report.runId, stepId: info.id }), !finished),
            button('Copy as stub', 'action-stub', info.report ? 'Copy a `given` line for a test block that makes this step end as it did'
                : 'Available once the step has finished', () => info.report && this.post({ type: 'copy', text: stubLine(info.report) }), !info.report),
            button('Resume run', 'action-resume', finished && RESUMABLE.has(report.status) ? `Picks run ${report.runId} up where it stopped` : 'Only a failed or cancelled run resumes',
                () => finished && this.post({ type: 'step-action', action: 'resume', runId: report.runId, stepId: info.id }), !finished || !RESUMABLE.has(report.status)),
        );
        const parts: HTMLElement[] = [head, actions];
        const started = info.report?.startedAt;
        parts.push(facts([
            ['Tool', info.tool],
            ['Server', serverText(info, state)],
            ['Line', info.line ? String(info.line) : undefined],
            ['Attempts', String(info.attempts)],
            ['Started', info.startMs !== undefined ? `+${formatDuration(info.startMs)}${started ? ` (${clock(started)})` : ''}` : undefined],
            ['Ended', info.endMs !== undefined ? `+${formatDuration(info.endMs)}${info.report?.endedAt ? ` (${clock(info.report.endedAt)})` : ''}` : undefined],
            ['Duration', info.durationMs !== undefined ? formatDuration(info.durationMs) : info.status === 'running' ? 'running…' : undefined],
            ['Estimate', info.estimateMs !== undefined ? `${formatDuration(info.estimateMs)}${info.estimateSource ? ` (${info.estimateSource})` : ''}` : undefined],
            ['Items', info.report?.items !== undefined ? String(info.report.items) : undefined],
            ['Cached', info.cached ? 'yes' : undefined],
            ['Resumed', info.report?.resumed ? 'restored from the resumed run' : undefined],
        ]));
        if (info.error) {
            parts.push(html('h3', undefined, info.status === 'skipped' ? 'Why skipped' : 'Error'), errorBlock(info.error));
        }
        if (info.report?.compensationError) {
            parts.push(html('h3', undefined, 'Compensation error'), errorBlock(info.report.compensationError));
        }
        if (info.retries.length > 0) {
            const list = html('ol', 'attempts');
            for (const r of info.retries) {
                const li = html('li', 'attempt');
                li.append(html('div', 'attempt-head', `Attempt ${r.attempt}${r.item !== undefined ? ` (item ${r.item})` : ''} failed, retried`), errorBlock(r.error, 'attempt-error'));
                list.append(li);
            }
            parts.push(html('h3', undefined, `Attempts (${info.retries.length} retried)`), list);
        }
        parts.push(...this.params(info), ...this.output(info, state));
        return parts;
    }

    /** The parameters the last call was given, as evaluated (secrets already masked by the run). */
    private params(info: StepInfo): HTMLElement[] {
        const params = info.report?.params;
        if (!params) {
            return [];
        }
        const head = html('div', 'params-head');
        head.append(html('h3', undefined, 'Parameters'),
            button('Copy', 'action-copy-params', 'Copy the parameters as JSON', () => this.post({ type: 'copy', text: jsonText(params) })));
        const tree = jsonTree(params);
        tree.classList.add('params-tree');
        return [head, tree];
    }

    private output(info: StepInfo, state: ViewState): HTMLElement[] {
        const head = html('div', 'output-head');
        head.append(html('h3', undefined, 'Output'));
        if (!info.report) {
            return [head, html('p', 'empty', state.running ? 'Shown when the run finishes.' : 'No run yet.')];
        }
        const output = info.report.output;
        if (output === undefined || output === null) {
            return [head, html('p', 'empty', info.status === 'succeeded' ? 'No output.' : 'No output: the step did not succeed.')];
        }
        head.append(button('Copy', 'action-copy', 'Copy the output as JSON', () => this.post({ type: 'copy', text: jsonText(output) })));
        const tree = jsonTree(output);
        tree.classList.add('output-tree');
        return [head, tree];
    }
}
