/**
 * The graph webview's script (bundled by esbuild as a browser IIFE, `out/webview.js`):
 * receives host messages, folds them into the view state and draws the DAG, the
 * timeline and the metrics; a node click asks the host to reveal the step.
 */
import { isHostMessage, type WebviewMessage } from '../shared/messages.js';
import { renderGantt } from './gantt-view.js';
import { GraphView } from './graph-view.js';
import { renderMetrics } from './metrics-view.js';
import { html } from './svg.js';
import { applyMessage, initialState, type ViewState } from './view-state.js';

interface VsCodeApi {
    postMessage(message: WebviewMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const $ = (id: string): HTMLElement => document.getElementById(id)!;
const graphView = new GraphView($('graph'), (stepId) => vscode.postMessage({ type: 'reveal-step', stepId }));
let state: ViewState = initialState();
let timer: ReturnType<typeof setTimeout> | undefined;

function renderHeader(s: ViewState): void {
    const header = $('header');
    header.replaceChildren();
    if (!s.graph) {
        header.append(html('h1', undefined, 'KM Flow'), html('p', 'empty', 'Open a .kmflow file and run "KM Flow: Show Graph".'));
        return;
    }
    const title = html('h1', undefined, s.graph.workflow);
    const status = s.running ? 'running' : s.report ? s.report.status : 'not run';
    header.append(title, html('span', `badge status-${s.running ? 'running' : s.report?.status ?? 'pending'}`, status));
    if (s.graph.title) {
        header.append(html('p', 'subtitle', s.graph.title));
    }
    const legend = html('p', 'legend');
    legend.append(
        html('span', 'legend-critical', 'critical path'),
        html('span', undefined, ` ${s.graph.criticalPath.join(' → ') || '—'} · ${s.graph.nodes.length} steps, ${s.graph.edges.length} dependencies`),
    );
    header.append(legend);
}

/** Draws everything but the graph's layout, at most every 50 ms. */
function scheduleRender(): void {
    timer ??= setTimeout(() => {
        timer = undefined;
        renderHeader(state);
        graphView.setStatuses(state.statuses);
        renderGantt($('timeline'), state);
        renderMetrics($('metrics'), state.report);
        document.body.dataset.runStatus = state.running ? 'running' : state.report?.status ?? 'none';
    }, 50);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (!isHostMessage(event.data)) {
        return;
    }
    const message = event.data;
    state = applyMessage(state, message);
    if (message.type === 'graph') {
        void graphView.setGraph(message).then(() => graphView.setStatuses(state.statuses));
    }
    scheduleRender();
});

scheduleRender();
vscode.postMessage({ type: 'ready' });
