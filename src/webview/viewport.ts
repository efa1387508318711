/**
 * Pan and zoom of the graph: a `translate scale` transform on the scene group of an SVG
 * that fills its host. Fit on demand and, until the user zooms or pans, again on every
 * resize; zoom by the buttons, Ctrl+wheel (at the pointer) and `+`/`-`; pan by dragging
 * and by Shift+arrows (plain arrows too when the graph itself has focus, not a node).
 */

export interface Transform {
    x: number;
    y: number;
    k: number;
}

export interface Size {
    width: number;
    height: number;
}

export const MIN_SCALE = 0.02;
export const MAX_SCALE = 4;
/** Zoom factor of one button press or key. */
export const ZOOM_STEP = 1.25;
const PAN_STEP = 60;
const FIT_PADDING = 10;

/**
 * The transform showing all of `content` in `view`, never above `maxScale`: centred
 * across, from the top down (a short graph does not float in the middle of a tall view).
 */
export function fitTransform(content: Size, view: Size, maxScale = 1, padding = FIT_PADDING): Transform {
    const w = Math.max(1, content.width);
    const h = Math.max(1, content.height);
    const k = Math.max(MIN_SCALE, Math.min(maxScale, (view.width - 2 * padding) / w, (view.height - 2 * padding) / h));
    return { k, x: (view.width - w * k) / 2, y: Math.min(padding, (view.height - h * k) / 2) };
}

/** `t` zoomed by `factor` around the view point (px, py), which stays put. */
export function zoomAround(t: Transform, factor: number, px: number, py: number): Transform {
    const k = Math.min(MAX_SCALE, Math.max(MIN_SCALE, t.k * factor));
    const f = k / t.k;
    return { k, x: px - (px - t.x) * f, y: py - (py - t.y) * f };
}

/** The content rectangle the view shows under `t`. */
export function visibleRect(t: Transform, view: Size): { x: number; y: number; width: number; height: number } {
    return { x: -t.x / t.k, y: -t.y / t.k, width: view.width / t.k, height: view.height / t.k };
}

export class Viewport {
    private t: Transform = { x: 0, y: 0, k: 1 };
    private content: Size = { width: 1, height: 1 };
    /** Fit again on resize: true until the user zooms or pans. */
    private autoFit = true;
    private drag?: { id: number; x: number; y: number; t: Transform; moved: boolean };
    /** Set when a drag moved: the click that ends it is not a node click. */
    suppressClick = false;
    private refit: ReturnType<typeof setTimeout> | undefined;

    constructor(private readonly host: HTMLElement, private readonly scene: SVGGElement, private readonly onChange: (t: Transform) => void) {
        new ResizeObserver(() => this.resized()).observe(host);
        host.addEventListener('wheel', (e) => this.wheel(e), { passive: false });
        host.addEventListener('pointerdown', (e) => this.pointerDown(e));
        host.addEventListener('pointermove', (e) => this.pointerMove(e));
        host.addEventListener('pointerup', (e) => this.pointerUp(e));
        host.addEventListener('pointercancel', (e) => this.pointerUp(e));
        host.addEventListener('keydown', (e) => this.key(e));
    }

    /**
     * The panel changed size. Fitting waits until it has settled (250 ms): a click that opens
     * the details pane narrows the graph, and the second click of a double-click must still
     * land on the node the first one hit.
     */
    private resized(): void {
        if (!this.autoFit) {
            this.apply();
            return;
        }
        clearTimeout(this.refit);
        this.refit = setTimeout(() => {
            this.refit = undefined;
            if (this.autoFit) {
                this.fit();
            }
        }, 250);
    }

    get transform(): Transform {
        return this.t;
    }

    get view(): Size {
        return { width: this.host.clientWidth, height: this.host.clientHeight };
    }

    /** A new content size (a new layout): fitted. */
    setContent(size: Size): void {
        this.content = size;
        this.fit();
    }

    /** Shows all of the graph, centred. */
    fit(): void {
        this.autoFit = true;
        this.set(fitTransform(this.content, this.view));
    }

    /** Zooms by `factor` around the view's centre (or a given view point). */
    zoom(factor: number, px = this.view.width / 2, py = this.view.height / 2): void {
        this.autoFit = false;
        this.set(zoomAround(this.t, factor, px, py));
    }

    /** Moves the content by (dx, dy) view pixels. */
    pan(dx: number, dy: number): void {
        this.autoFit = false;
        this.set({ ...this.t, x: this.t.x + dx, y: this.t.y + dy });
    }

    /** Centres content point (cx, cy), at scale `k` if given. */
    centreOn(cx: number, cy: number, k = this.t.k): void {
        this.autoFit = false;
        const { width, height } = this.view;
        this.set({ k, x: width / 2 - cx * k, y: height / 2 - cy * k });
    }

    /**
     * Brings a content box into view (keeping a margin): pans as little as needed; zooms
     * to `readable` first when the view is smaller than that (keyboard navigation).
     * `coveredRight`: px of the view's right side something covers (the details pane).
     */
    reveal(box: { x: number; y: number; width: number; height: number }, readable?: number, coveredRight = 0): void {
        if (readable !== undefined && this.t.k < readable) {
            this.centreOn(box.x + box.width / 2, box.y + box.height / 2, readable);
            return;
        }
        const { k } = this.t;
        const { height } = this.view;
        const width = Math.max(box.width * k + 32, this.view.width - coveredRight);
        const m = 16;
        const left = box.x * k + this.t.x;
        const top = box.y * k + this.t.y;
        const right = left + box.width * k;
        const bottom = top + box.height * k;
        const dx = left < m ? m - left : right > width - m ? Math.max(m - left, width - m - right) : 0;
        const dy = top < m ? m - top : bottom > height - m ? Math.max(m - top, height - m - bottom) : 0;
        if (dx !== 0 || dy !== 0) {
            this.pan(dx, dy);
        }
    }

    private set(t: Transform): void {
        this.t = t;
        this.apply();
    }

    private apply(): void {
        this.scene.setAttribute('transform', `translate(${this.t.x.toFixed(2)},${this.t.y.toFixed(2)}) scale(${this.t.k.toFixed(4)})`);
        this.onChange(this.t);
    }

    private point(e: MouseEvent): { x: number; y: number } {
        const r = this.host.getBoundingClientRect();
        return { x: e.clientX - r.left, y: e.clientY - r.top };
    }

    private wheel(e: WheelEvent): void {
        if (!e.ctrlKey && !e.metaKey) {
            return; // the page scrolls
        }
        e.preventDefault();
        const p = this.point(e);
        this.zoom(Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.002)), p.x, p.y);
    }

    private pointerDown(e: PointerEvent): void {
        if (e.button !== 0 || (e.target as Element).closest('.minimap, .details')) {
            return;
        }
        this.drag = { id: e.pointerId, x: e.clientX, y: e.clientY, t: this.t, moved: false };
    }

    private pointerMove(e: PointerEvent): void {
        const d = this.drag;
        if (!d || d.id !== e.pointerId) {
            return;
        }
        const dx = e.clientX - d.x;
        const dy = e.clientY - d.y;
        if (!d.moved && Math.hypot(dx, dy) < 4) {
            return;
        }
        if (!d.moved) {
            d.moved = true;
            this.host.setPointerCapture(e.pointerId);
            this.host.classList.add('panning');
        }
        this.autoFit = false;
        this.set({ ...d.t, x: d.t.x + dx, y: d.t.y + dy });
    }

    private pointerUp(e: PointerEvent): void {
        if (this.drag?.id !== e.pointerId) {
            return;
        }
        this.suppressClick = this.drag.moved;
        this.drag = undefined;
        this.host.classList.remove('panning');
        setTimeout(() => (this.suppressClick = false), 0);
    }

    private key(e: KeyboardEvent): void {
        const onNode = (e.target as Element).closest?.('.node') !== null;
        const arrows: Record<string, [number, number]> = { ArrowLeft: [1, 0], ArrowRight: [-1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
        const arrow = arrows[e.key];
        if (arrow && (e.shiftKey || !onNode)) {
            this.pan(arrow[0] * PAN_STEP, arrow[1] * PAN_STEP);
        } else if (e.key === '+' || e.key === '=') {
            this.zoom(ZOOM_STEP);
        } else if (e.key === '-' || e.key === '_') {
            this.zoom(1 / ZOOM_STEP);
        } else if (e.key === '0' || e.key === 'f') {
            this.fit();
        } else {
            return;
        }
        e.preventDefault();
    }
}
