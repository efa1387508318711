/**
 * The overview of a graph larger than the view: every node as a small box coloured by
 * status, the visible part as a frame. Shown only while part of the graph is out of
 * view; a click or drag on it moves the view there.
 */
import type { Layout } from '../shared/graph-layout.js';
import { svg } from './svg.js';
import { visibleRect, type Size, type Transform } from './viewport.js';

const MAX_SIDE = 160;

export class Minimap {
    readonly el: HTMLDivElement;
    private readonly root: SVGSVGElement;
    private readonly frame: SVGRectElement;
    private readonly boxes = new Map<string, SVGRectElement>();
    private scale = 1;
    private layout?: Layout;

    constructor(private readonly onMove: (cx: number, cy: number) => void) {
        this.el = document.createElement('div');
        this.el.className = 'minimap';
        this.el.hidden = true;
        this.el.setAttribute('aria-hidden', 'true');
        this.root = svg('svg', { class: 'minimap-svg' });
        this.frame = svg('rect', { class: 'minimap-frame' });
        this.el.append(this.root);
        const move = (e: PointerEvent): void => {
            const r = this.root.getBoundingClientRect();
            this.onMove((e.clientX - r.left) / this.scale, (e.clientY - r.top) / this.scale);
        };
        this.el.addEventListener('pointerdown', (e) => {
            e.stopPropagation();
            this.el.setPointerCapture(e.pointerId);
            move(e);
        });
        this.el.addEventListener('pointermove', (e) => {
            if (this.el.hasPointerCapture(e.pointerId)) {
                move(e);
            }
        });
    }

    /** Draws a new layout's nodes. */
    setLayout(layout: Layout): void {
        this.layout = layout;
        this.scale = MAX_SIDE / Math.max(layout.width, layout.height, 1);
        const w = Math.max(24, layout.width * this.scale);
        const h = Math.max(24, layout.height * this.scale);
        this.root.setAttribute('width', String(w));
        this.root.setAttribute('height', String(h));
        this.root.replaceChildren();
        this.boxes.clear();
        for (const n of layout.nodes) {
            const r = svg('rect', {
                x: n.x * this.scale, y: n.y * this.scale, width: Math.max(1.5, n.width * this.scale), height: Math.max(1.5, n.height * this.scale),
                class: 'minimap-node status-pending',
            });
            this.boxes.set(n.id, r);
            this.root.append(r);
        }
        this.root.append(this.frame);
    }

    /** Colours the boxes. */
    setStatuses(statusOf: (id: string) => string): void {
        for (const [id, r] of this.boxes) {
            r.setAttribute('class', `minimap-node status-${statusOf(id)}`);
        }
    }

    /** Moves the frame; hides the map while the whole graph is in view. */
    update(t: Transform, view: Size): void {
        const l = this.layout;
        if (!l) {
            this.el.hidden = true;
            return;
        }
        const v = visibleRect(t, view);
        const all = v.x <= 0.5 && v.y <= 0.5 && v.x + v.width >= l.width - 0.5 && v.y + v.height >= l.height - 0.5;
        const roomy = view.width > 260 && view.height > 160;
        this.el.hidden = all || !roomy;
        this.frame.setAttribute('x', String(v.x * this.scale));
        this.frame.setAttribute('y', String(v.y * this.scale));
        this.frame.setAttribute('width', String(v.width * this.scale));
        this.frame.setAttribute('height', String(v.height * this.scale));
    }
}
