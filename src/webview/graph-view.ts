/**
 * The DAG as SVG: boxes laid out by ELK in a pan-and-zoom scene (viewport.ts), with an
 * overview map for graphs larger than the view. Each node shows its step, its tool and a
 * status line (a failed step's error code and message, a finished one's duration), its
 * tooltip the whole error and the tool's advice. Status colours are CSS classes
 * (`status-running`, ...); the critical path is drawn thicker. A status change only
 * repaints; the layout runs again only for a new graph or direction.
 */
import { formatDuration } from '../shared/duration-format.js';
import { layoutGraph, nodeWidth, pickDirection, type Direction, type Layout } from '../shared/graph-layout.js';
import type { GraphMessage } from '../shared/messages.js';
import { isNavigationKey, neighbour } from './graph-keys.js';
import { Minimap } from './minimap.js';
import { svg } from './svg.js';
import { fitText, fontOf, textWidth } from './text-measure.js';
import type { StepInfo } from './view-state.js';
import { Viewport, type Transform } from './viewport.js';

/** What the view tells the page: a node was chosen (click, Enter) or asked to open in the editor. */
export interface GraphViewEvents {
    select(stepId: string): void;
    open(stepId: string): void;
}

/** The scale keyboard navigation zooms to, so the focused step can be read. */
const READABLE = 0.9;
/** Below this scale a node shows only its name, this many times larger. */
const DETAIL_SCALE = 0.6;
const FAR_LABEL = 1.7;

interface NodeEls {
    g: SVGGElement;
    title: SVGTitleElement;
    /** Second line: the tool, or a failed step's error code. */
    tool: SVGTextElement;
    toolText: string;
    /** Third line: the status, or a failed step's error message. */
    status: SVGTextElement;
    width: number;
}

/** The status line of a node (a failed one: its error message, under its code). */
export function statusLine(info: StepInfo): string {
    switch (info.status) {
        case 'failed':
            return info.error ? info.error.message : 'failed';
        case 'running':
            return info.attempts > 1 ? `running, attempt ${info.attempts}…` : 'running…';
        case 'retrying': {
            const last = info.retries[info.retries.length - 1];
            return `↻ retry ${info.attempts}${last ? ` after ${last.error.code}` : ''}`;
        }
        case 'succeeded':
        case 'compensated':
            return `✓ ${info.status === 'compensated' ? 'compensated · ' : ''}${info.durationMs !== undefined ? formatDuration(info.durationMs) : ''}${info.cached ? ' · cached' : ''}`;
        case 'skipped':
            return info.error ? `skipped: ${info.error.code}` : 'skipped';
        case 'cancelled':
            return '■ cancelled';
        default:
            return '';
    }
}

/** The tooltip of a node. */
export function nodeTooltip(info: StepInfo): string {
    const server = info.via && info.via.server !== 'builtin' ? ` on server ${info.via.server}` : '';
    const lines = [`${info.id} uses ${info.tool ?? '?'}${server}${info.line ? ` (line ${info.line})` : ''}`, `status: ${info.status}${info.attempts > 1 ? `, ${info.attempts} attempts` : ''}`];
    if (info.error) {
        lines.push(`error ${info.error.code}: ${info.error.message}`);
        if (info.error.advice) {
            lines.push(`advice: ${info.error.advice}`);
        }
    }
    lines.push('Click for details · double-click to open in the editor');
    return lines.join('\n');
}

export class GraphView {
    readonly viewport: Viewport;
    private readonly root: SVGSVGElement;
    private readonly scene: SVGGElement;
    private readonly minimap: Minimap;
    private graphKey = '';
    private layout?: Layout;
    private readonly nodes = new Map<string, NodeEls>();
    private readonly edgeEls: Array<{ from: string; to: string; el: SVGPathElement }> = [];
    private info: (id: string) => StepInfo | undefined = () => undefined;
    private critical: string[] = [];
    private selected?: string;
    private focused?: string;

    constructor(private readonly host: HTMLElement, private readonly events: GraphViewEvents, private readonly onView: (t: Transform) => void = () => undefined) {
        this.root = svg('svg', { class: 'dag', role: 'group' });
        const defs = svg('defs');
        const marker = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' });
        marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow-head' }));
        defs.append(marker);
        this.scene = svg('g', { class: 'scene' });
        this.root.append(defs, this.scene);
        this.minimap = new Minimap((cx, cy) => this.viewport.centreOn(cx, cy));
        host.append(this.root, this.minimap.el);
        this.viewport = new Viewport(host, this.scene, (t) => {
            this.minimap.update(t, this.viewport.view);
            this.root.classList.toggle('far', t.k < DETAIL_SCALE);
            this.onView(t);
        });
        host.addEventListener('keydown', (e) => this.key(e));
    }

    /** The laid-out graph: its direction and boxes. */
    get current(): Layout | undefined {
        return this.layout;
    }

    /**
     * Shows a graph; lays it out again only when its nodes, edges or direction changed.
     * `direction`: the user's choice, or `auto` (whichever shows the graph larger).
     */
    async setGraph(graph: GraphMessage, direction: Direction | 'auto', view: { width: number; height: number }): Promise<boolean> {
        const widths = this.measure(graph);
        const dir = direction === 'auto' ? pickDirection(graph, view, average(widths)) : direction;
        const key = JSON.stringify([dir, graph.nodes.map((n) => [n.id, n.tool]), graph.edges]);
        this.critical = graph.criticalPath;
        if (key === this.graphKey) {
            this.paint();
            return false;
        }
        this.graphKey = key;
        const layout = await layoutGraph(graph, dir, (id) => widths.get(id) ?? 170);
        if (key !== this.graphKey) {
            return false; // a newer graph arrived while this one was laid out
        }
        this.layout = layout;
        this.draw(graph);
        this.minimap.setLayout(layout);
        this.paint();
        this.viewport.setContent({ width: layout.width, height: layout.height });
        this.host.dataset.layout = 'done';
        this.host.dataset.direction = dir;
        return true;
    }

    /** Repaints statuses, status lines and tooltips from `info`. */
    /** The critical path to mark (the header's: measured after a run, predicted before). */
    setInfo(info: (id: string) => StepInfo | undefined, critical?: string[]): void {
        this.info = info;
        if (critical) {
            this.critical = critical;
        }
        this.paint();
    }

    /**
     * Marks the step whose details are open (none: undefined) and brings it into view,
     * left of `coveredRight` px (a details pane over the graph).
     */
    select(stepId: string | undefined, coveredRight = 0): void {
        this.selected = stepId;
        for (const [id, n] of this.nodes) {
            n.g.classList.toggle('selected', id === stepId);
            n.g.setAttribute('aria-pressed', String(id === stepId));
        }
        const box = stepId ? this.layout?.nodes.find((b) => b.id === stepId) : undefined;
        if (box) {
            this.viewport.reveal(box, undefined, coveredRight);
        }
    }

    /** Moves keyboard focus to a node, zooming in until it reads. */
    focusNode(stepId: string): void {
        const n = this.nodes.get(stepId);
        const box = this.layout?.nodes.find((b) => b.id === stepId);
        if (!n || !box) {
            return;
        }
        this.focused = stepId;
        for (const [id, other] of this.nodes) {
            other.g.setAttribute('tabindex', id === stepId ? '0' : '-1');
        }
        this.viewport.reveal(box, READABLE);
        n.g.focus({ preventScroll: true });
    }

    private measure(graph: GraphMessage): Map<string, number> {
        const label = fontOf(this.host, '600');
        const small = fontOf(this.host, '', 0.85);
        // Room for a status line, and for most error codes (`✖ KM_CONNECTION_FAILED`).
        return new Map(graph.nodes.map((n) => [n.id, nodeWidth([textWidth(n.id, label), textWidth(n.tool, small), 130])]));
    }

    private draw(graph: GraphMessage): void {
        const layout = this.layout!;
        this.scene.replaceChildren();
        this.nodes.clear();
        this.edgeEls.length = 0;
        this.root.setAttribute('aria-label', `Graph of workflow ${graph.workflow}: ${graph.nodes.length} steps. Arrow keys move between steps, Enter shows details.`);
        for (const edge of layout.edges) {
            const d = edge.points.map((p, i) => `${i === 0 ? 'M' : 'L'} ${p.x} ${p.y}`).join(' ');
            const el = svg('path', { d, class: 'edge', 'marker-end': 'url(#arrow)', 'data-from': edge.from, 'data-to': edge.to });
            this.edgeEls.push({ from: edge.from, to: edge.to, el });
            this.scene.append(el);
        }
        const byId = new Map(graph.nodes.map((n) => [n.id, n]));
        const label = fontOf(this.host, '600');
        const small = fontOf(this.host, '', 0.85);
        const big = fontOf(this.host, '600', FAR_LABEL);
        const bigSize = parseFloat(getComputedStyle(this.host).fontSize) * FAR_LABEL;
        for (const box of layout.nodes) {
            const node = byId.get(box.id)!;
            const g = svg('g', { class: 'node', transform: `translate(${box.x},${box.y})`, 'data-step': box.id, tabindex: -1, role: 'button' });
            const title = svg('title', {}, '');
            const status = svg('text', { x: 12, y: 52, class: 'node-status' }, '');
            const toolText = fitText(node.tool, box.width - 24, small);
            const tool = svg('text', { x: 12, y: 35, class: 'node-tool' }, toolText);
            g.append(title, svg('rect', { width: box.width, height: box.height, rx: 6, ry: 6, class: 'node-box' }),
                svg('text', { x: 12, y: 19, class: 'node-label' }, fitText(node.id, box.width - 38, label)),
                tool, status, svg('circle', { cx: box.width - 14, cy: 14, r: 5, class: 'node-dot' }),
                // Zoomed far out, the name alone, larger, across the box.
                svg('text', { x: box.width / 2, y: box.height / 2 + bigSize * 0.35, class: 'node-label-far', 'text-anchor': 'middle' },
                    fitText(node.id, box.width - 12, big)));
            g.addEventListener('click', () => {
                if (!this.viewport.suppressClick) {
                    this.focused = box.id;
                    this.events.select(box.id);
                }
            });
            g.addEventListener('dblclick', () => this.events.open(box.id));
            this.nodes.set(box.id, { g, title, tool, toolText, status, width: box.width });
            this.scene.append(g);
        }
        const first = this.selected && this.nodes.has(this.selected) ? this.selected : layout.nodes[0]?.id;
        this.nodes.get(first ?? '')?.g.setAttribute('tabindex', '0');
    }

    private paint(): void {
        const critical = new Set(this.critical);
        const criticalEdges = new Set(this.critical.slice(1).map((to, i) => `${this.critical[i]}->${to}`));
        const small = fontOf(this.host, '', 0.85);
        const code = fontOf(this.host, '600', 0.85);
        for (const [id, n] of this.nodes) {
            const info = this.info(id);
            const status = info?.status ?? 'pending';
            const failed = status === 'failed' && info?.error;
            n.tool.textContent = failed ? fitText(`✖ ${info.error!.code}`, n.width - 20, code) : n.toolText;
            n.tool.classList.toggle('node-error-code', !!failed);
            n.g.setAttribute('class', `node status-${status}${critical.has(id) ? ' critical' : ''}${id === this.selected ? ' selected' : ''}`);
            n.g.setAttribute('data-status', status);
            n.status.textContent = info ? fitText(statusLine(info), n.width - 20, small) : '';
            n.title.textContent = info ? nodeTooltip(info) : id;
        }
        for (const { from, to, el } of this.edgeEls) {
            el.setAttribute('class', `edge${criticalEdges.has(`${from}->${to}`) ? ' critical' : ''}`);
        }
        this.minimap.setStatuses((id) => this.info(id)?.status ?? 'pending');
    }

    private key(e: KeyboardEvent): void {
        const node = (e.target as Element).closest?.('.node');
        const id = node?.getAttribute('data-step') ?? undefined;
        if (node && (e.key === 'Enter' || e.key === ' ')) {
            e.preventDefault();
            this.events.select(id!);
        } else if (isNavigationKey(e.key) && !e.shiftKey && (node || e.key === 'Home' || e.key === 'End')) {
            const next = neighbour(this.layout?.nodes ?? [], id ?? this.focused, e.key, this.layout?.direction === 'RIGHT');
            if (next) {
                e.preventDefault();
                e.stopPropagation();
                this.focusNode(next);
            }
        }
    }
}

function average(widths: Map<string, number>): number {
    const all = [...widths.values()];
    return all.length ? all.reduce((a, b) => a + b, 0) / all.length : 170;
}
