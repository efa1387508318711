/**
 * The DAG as SVG: boxes laid out by ELK, coloured by live status through CSS classes
 * (`status-running`, `status-succeeded`, ...), the critical path drawn thicker. A
 * status change only swaps classes; the layout runs again only for a new graph.
 */
import type { GraphMessage, NodeStatus } from '../shared/messages.js';
import { layoutGraph, type Layout } from './graph-layout.js';
import { svg } from './svg.js';

/** Draws the graph into `host`; `onReveal` is called with a clicked node's step id. */
export class GraphView {
    private graphKey = '';
    private layout?: Layout;
    private readonly nodeEls = new Map<string, SVGGElement>();
    private readonly edgeEls: Array<{ from: string; to: string; el: SVGPathElement }> = [];
    private statuses: Record<string, NodeStatus> = {};
    private critical: string[] = [];

    constructor(private readonly host: HTMLElement, private readonly onReveal: (stepId: string) => void) {}

    /** Shows a graph; lays it out again only when its nodes or edges changed. */
    async setGraph(graph: GraphMessage): Promise<void> {
        const key = JSON.stringify([graph.nodes.map((n) => [n.id, n.tool]), graph.edges]);
        this.critical = graph.criticalPath;
        if (key !== this.graphKey) {
            this.graphKey = key;
            const layout = await layoutGraph(graph);
            if (key !== this.graphKey) {
                return; // a newer graph arrived while this one was laid out
            }
            this.layout = layout;
            this.draw(graph);
        }
        this.paint();
    }

    /** Updates node colours. */
    setStatuses(statuses: Record<string, NodeStatus>): void {
        this.statuses = statuses;
        this.paint();
    }

    private draw(graph: GraphMessage): void {
        const layout = this.layout!;
        this.host.replaceChildren();
        this.nodeEls.clear();
        this.edgeEls.length = 0;
        const root = svg('svg', {
            class: 'dag', width: layout.width, height: layout.height, viewBox: `0 0 ${layout.width} ${layout.height}`,
            role: 'img', 'aria-label': `Graph of workflow ${graph.workflow}`,
        });
        const defs = svg('defs');
        const marker = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' });
        marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow-head' }));
        defs.append(marker);
        root.append(defs);
        for (const edge of layout.edges) {
            const d = edge.points.map((p, i) => `${i === 0 ? 'M' : 'L'} ${p.x} ${p.y}`).join(' ');
            const el = svg('path', { d, class: 'edge', 'marker-end': 'url(#arrow)', 'data-from': edge.from, 'data-to': edge.to });
            this.edgeEls.push({ from: edge.from, to: edge.to, el });
            root.append(el);
        }
        const byId = new Map(graph.nodes.map((n) => [n.id, n]));
        for (const box of layout.nodes) {
            const node = byId.get(box.id)!;
            const g = svg('g', { class: 'node', transform: `translate(${box.x},${box.y})`, 'data-step': box.id, tabindex: 0, role: 'button' });
            g.append(svg('title', {}, `${node.id} uses ${node.tool}${node.line ? ` (line ${node.line})` : ''}\nClick to reveal the step`));
            g.append(svg('rect', { width: box.width, height: box.height, rx: 6, ry: 6, class: 'node-box' }));
            g.append(svg('text', { x: 12, y: 19, class: 'node-label' }, truncate(node.id, 20)));
            g.append(svg('text', { x: 12, y: 36, class: 'node-tool' }, truncate(node.tool, 24)));
            g.append(svg('circle', { cx: box.width - 14, cy: 14, r: 5, class: 'node-dot' }));
            g.addEventListener('click', () => this.onReveal(box.id));
            g.addEventListener('keydown', (e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                    this.onReveal(box.id);
                }
            });
            this.nodeEls.set(box.id, g);
            root.append(g);
        }
        this.host.append(root);
        this.host.dataset.layout = 'done';
    }

    private paint(): void {
        const critical = new Set(this.critical);
        const criticalEdges = new Set(this.critical.slice(1).map((to, i) => `${this.critical[i]}->${to}`));
        for (const [id, g] of this.nodeEls) {
            const status = this.statuses[id] ?? 'pending';
            g.setAttribute('class', `node status-${status}${critical.has(id) ? ' critical' : ''}`);
            g.setAttribute('data-status', status);
        }
        for (const { from, to, el } of this.edgeEls) {
            el.setAttribute('class', `edge${criticalEdges.has(`${from}->${to}`) ? ' critical' : ''}`);
        }
    }
}

function truncate(text: string, max: number): string {
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
