/**
 * The graph webview's script (bundled by esbuild as a browser IIFE, `out/webview.js`):
 * receives host messages, folds them into the view state and draws the header and
 * toolbar, the DAG (fitted to the panel), the step details pane, the timeline and the
 * metrics. Imports only src/shared and its own folder, never the engine.
 */
import { isHostMessage, type HostMessage, type WebviewMessage } from '../shared/messages.js';
import { DetailsView } from './details-view.js';
import { renderGantt } from './gantt-view.js';
import { GraphView } from './graph-view.js';
import { Toolbar, renderHeader, type DirectionChoice } from './header-view.js';
import { renderMetrics } from './metrics-view.js';
import { applyMessage, initialState, shownCriticalPath, stepInfo, type ViewState } from './view-state.js';

interface SavedState {
    direction?: DirectionChoice;
}
interface VsCodeApi {
    postMessage(message: WebviewMessage): void;
    getState(): SavedState | undefined;
    setState(state: SavedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const $ = (id: string): HTMLElement => document.getElementById(id)!;
const graphEl = $('graph');
const workspace = $('workspace');
let state: ViewState = initialState();
let direction: DirectionChoice = vscode.getState()?.direction ?? 'auto';
let timer: ReturnType<typeof setTimeout> | undefined;
/** performance.now() when the latest run event arrived: a live "now" moves on from there. */
let lastEventLocal = 0;

const details = new DetailsView($('details'), (m) => vscode.postMessage(m), () => closeDetails());
const toolbar = new Toolbar($('toolbar'), direction, {
    fit: () => graphView.viewport.fit(),
    zoom: (factor) => graphView.viewport.zoom(factor),
    direction: (choice) => {
        direction = choice;
        vscode.setState({ ...vscode.getState(), direction: choice });
        void relayout();
    },
    pin: (pinned) => vscode.postMessage({ type: 'pin', pinned }),
});

const graphView = new GraphView(graphEl, {
    select: (stepId) => openDetails(stepId),
    open: (stepId) => vscode.postMessage({ type: 'reveal-step', stepId }),
}, (t) => {
    toolbar.showScale(t.k);
    graphEl.dataset.scale = t.k.toFixed(4);
});

/** Room for the graph: below the header, down to the window's bottom. */
function available(): { width: number; height: number } {
    const top = workspace.getBoundingClientRect().top + window.scrollY;
    return { width: graphEl.clientWidth || workspace.clientWidth, height: Math.max(200, window.innerHeight - top - 8) };
}

/**
 * Sizes the graph's area: the window's height below the header, or less when the
 * fitted graph needs less (a small graph leaves the timeline in view).
 */
function sizeWorkspace(): void {
    const room = available();
    const layout = graphView.current;
    let height = room.height;
    if (layout) {
        // The fit's padding (10 px a side) and the border (1 px a side); the details pane wants room too.
        const k = Math.min(1, (room.width - 22) / layout.width, (room.height - 22) / layout.height);
        height = Math.min(room.height, Math.max(layout.height * k + 22, details.step ? 480 : 160));
    }
    workspace.style.height = `${Math.round(height)}px`;
}

async function relayout(): Promise<void> {
    if (!state.graph) {
        return;
    }
    if (await graphView.setGraph(state.graph, direction, available())) {
        sizeWorkspace();
        graphView.viewport.fit();
        graphView.select(details.step, covered());
    }
    graphView.setInfo((id) => stepInfo(state, id));
}

/** How much of the graph's right side the details pane covers (in a narrow panel it lies over the graph). */
function covered(): number {
    const pane = $('details');
    return !pane.hidden && getComputedStyle(pane).position === 'absolute' ? pane.offsetWidth + 8 : 0;
}

function openDetails(stepId: string): void {
    details.show(stepId, state);
    sizeWorkspace();
    requestAnimationFrame(() => graphView.select(details.step, covered()));
}

function closeDetails(): void {
    const was = details.step;
    details.show(undefined, state);
    graphView.select(undefined);
    sizeWorkspace();
    if (was) {
        graphView.focusNode(was);
    }
}

function nowMs(): number | undefined {
    if (!state.running || state.lastEventAt === undefined || state.runStart === undefined) {
        return undefined;
    }
    return state.lastEventAt - state.runStart + (performance.now() - lastEventLocal);
}

/** Draws everything but the graph's layout, at most every 50 ms. */
function scheduleRender(): void {
    timer ??= setTimeout(() => {
        timer = undefined;
        renderHeader($('header'), state);
        graphView.setInfo((id) => stepInfo(state, id), shownCriticalPath(state)?.steps);
        details.render(state);
        renderGantt($('timeline'), state, nowMs());
        renderMetrics($('metrics'), state.report);
        document.body.dataset.runStatus = state.running ? 'running' : state.report?.status ?? 'none';
        tick();
    }, 50);
}

let ticking: ReturnType<typeof setTimeout> | undefined;

/** While a run goes, the timeline's live bars and axis grow with the clock (only the timeline is redrawn). */
function tick(): void {
    if (!state.running || ticking) {
        return;
    }
    ticking = setTimeout(() => {
        ticking = undefined;
        if (state.running) {
            renderGantt($('timeline'), state, nowMs());
            tick();
        }
    }, 400);
}

function setNotice(text: string): void {
    const notice = $('notice');
    notice.textContent = text;
    notice.hidden = text === '';
    sizeWorkspace();
}

function receive(message: HostMessage): void {
    switch (message.type) {
        case 'show-step':
            openDetails(message.stepId);
            return;
        case 'pin':
            toolbar.setPinned(message.pinned, false);
            return;
        case 'notice':
            setNotice(message.text);
            return;
        default:
            break;
    }
    const before = state.graph;
    state = applyMessage(state, message);
    if (message.type === 'run-event') {
        lastEventLocal = performance.now();
    }
    if (message.type === 'graph') {
        if (before && (before.workflow !== message.workflow || before.uri !== message.uri) && details.step) {
            details.show(undefined, state);
            graphView.select(undefined);
        }
        void relayout().then(() => document.body.dataset.workflow = message.workflow);
    }
    scheduleRender();
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (isHostMessage(event.data)) {
        receive(event.data);
    }
});

document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && details.step && !e.defaultPrevented) {
        e.preventDefault();
        closeDetails();
    }
});

let resizeTimer: ReturnType<typeof setTimeout> | undefined;
let timelineWidth = 0;
window.addEventListener('resize', () => {
    sizeWorkspace();
    clearTimeout(resizeTimer);
    // A new aspect may suit the other direction; the timeline follows the width.
    resizeTimer = setTimeout(() => {
        void relayout();
        if ($('timeline').clientWidth !== timelineWidth) {
            timelineWidth = $('timeline').clientWidth;
            renderGantt($('timeline'), state, nowMs());
        }
    }, 150);
});

scheduleRender();
vscode.postMessage({ type: 'ready' });
