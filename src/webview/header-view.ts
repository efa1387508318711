/**
 * The page's top: the workflow's name, run status, title and critical path, and the
 * graph's toolbar: Fit, zoom out/in (with the scale), the layout direction and the pin
 * (follow the active editor, or keep this workflow).
 */
import { formatDuration } from '../shared/duration-format.js';
import { html } from './svg.js';
import { shownCriticalPath, type ViewState } from './view-state.js';

/** The direction setting: automatic, or the user's. */
export type DirectionChoice = 'auto' | 'DOWN' | 'RIGHT';

export interface ToolbarActions {
    fit(): void;
    zoom(factor: number): void;
    direction(choice: DirectionChoice): void;
    pin(pinned: boolean): void;
}

const NEXT: Record<DirectionChoice, DirectionChoice> = { auto: 'DOWN', DOWN: 'RIGHT', RIGHT: 'auto' };
const DIRECTION_LABEL: Record<DirectionChoice, string> = { auto: 'Layout: auto', DOWN: 'Layout: ↓', RIGHT: 'Layout: →' };
const DIRECTION_TITLE: Record<DirectionChoice, string> = {
    auto: 'Top to bottom or left to right, whichever shows the graph larger (click: top to bottom)',
    DOWN: 'Top to bottom (click: left to right)',
    RIGHT: 'Left to right (click: automatic)',
};

function button(id: string, label: string, title: string, onClick: () => void): HTMLButtonElement {
    const b = html('button', 'tool-button', label);
    b.type = 'button';
    b.id = id;
    b.title = title;
    b.setAttribute('aria-label', title);
    b.addEventListener('click', onClick);
    return b;
}

export class Toolbar {
    private readonly scale: HTMLSpanElement;
    private readonly dirButton: HTMLButtonElement;
    private readonly pinButton: HTMLButtonElement;
    private choice: DirectionChoice;
    private pinned = false;

    constructor(host: HTMLElement, initial: DirectionChoice, private readonly actions: ToolbarActions) {
        this.choice = initial;
        this.scale = html('span', 'zoom-scale', '100%');
        this.scale.id = 'zoom-scale';
        this.scale.setAttribute('aria-live', 'polite');
        this.dirButton = button('direction', '', '', () => this.setDirection(NEXT[this.choice], true));
        this.pinButton = button('pin', '', '', () => this.setPinned(!this.pinned, true));
        host.append(
            button('fit', 'Fit', 'Fit the graph to the panel (0)', () => actions.fit()),
            button('zoom-out', '−', 'Zoom out (-, Ctrl+wheel)', () => actions.zoom(1 / 1.25)),
            this.scale,
            button('zoom-in', '+', 'Zoom in (+, Ctrl+wheel)', () => actions.zoom(1.25)),
            this.dirButton,
            this.pinButton,
        );
        this.setDirection(initial, false);
        this.setPinned(false, false);
    }

    /** Shows the current scale. */
    showScale(k: number): void {
        this.scale.textContent = `${Math.round(k * 100)}%`;
    }

    setDirection(choice: DirectionChoice, user: boolean): void {
        this.choice = choice;
        this.dirButton.textContent = DIRECTION_LABEL[choice];
        this.dirButton.title = DIRECTION_TITLE[choice];
        this.dirButton.dataset.direction = choice;
        if (user) {
            this.actions.direction(choice);
        }
    }

    setPinned(pinned: boolean, user: boolean): void {
        this.pinned = pinned;
        this.pinButton.textContent = pinned ? 'Pinned' : 'Following';
        this.pinButton.title = pinned ? 'Pinned to this workflow (click: follow the active .kmflow editor)' : 'Follows the active .kmflow editor (click: pin this workflow)';
        this.pinButton.setAttribute('aria-pressed', String(pinned));
        if (user) {
            this.actions.pin(pinned);
        }
    }
}

/** Draws the title block. */
export function renderHeader(header: HTMLElement, s: ViewState): void {
    header.replaceChildren();
    if (!s.graph) {
        header.append(html('h1', undefined, 'KM Flow'), html('p', 'empty', 'Open a .kmflow file and run "KM Flow: Show Graph".'));
        return;
    }
    const status = s.running ? 'running' : s.report ? s.report.status : 'not run';
    const line = html('div', 'title-line');
    line.append(html('h1', undefined, s.graph.workflow), html('span', `badge status-${s.running ? 'running' : s.report?.status ?? 'pending'}`, status));
    if (s.graph.title) {
        line.append(html('span', 'subtitle', s.graph.title));
    }
    const legend = html('p', 'legend');
    const path = shownCriticalPath(s)!;
    const kind = criticalPathLabel(path.kind);
    legend.append(
        html('span', 'counts', `${s.graph.nodes.length} steps, ${s.graph.edges.length} dependencies · `),
        html('span', 'legend-critical', kind),
        html('span', undefined, ` ${path.steps.join(' → ') || '—'}`),
    );
    legend.dataset.criticalPathKind = path.kind;
    legend.title = `${kind}, ${formatDuration(path.ms)}: ${path.steps.join(' → ')}`
        + (path.kind === 'predicted' ? ' (from the steps\' estimates: measured history, else declared, else the default)' : ' (as the run measured it)');
    header.append(line, legend);
}

/** `predicted critical path` before a run, `measured critical path` after one. */
export function criticalPathLabel(kind: 'predicted' | 'measured'): string {
    return `${kind} critical path`;
}
