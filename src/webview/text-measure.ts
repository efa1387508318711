/**
 * Text widths in the page's own font (a canvas measures them; no layout pass), to size
 * node boxes and Gantt label columns, and to cut a text to a width with an ellipsis.
 */
let ctx: CanvasRenderingContext2D | null | undefined;

/** The CSS font of `el` at weight `weight` and `scale` times its size. */
export function fontOf(el: Element, weight = '', scale = 1): string {
    const style = getComputedStyle(el);
    const size = parseFloat(style.fontSize) * scale;
    return `${weight || style.fontWeight} ${size}px ${style.fontFamily}`;
}

/** The width in px of `text` in `font` (a rough estimate where no canvas is at hand). */
export function textWidth(text: string, font: string): number {
    ctx ??= document.createElement('canvas').getContext('2d');
    if (!ctx) {
        return text.length * (parseFloat(/(\d+(\.\d+)?)px/.exec(font)?.[1] ?? '13') * 0.6);
    }
    ctx.font = font;
    return ctx.measureText(text).width;
}

/** `text`, cut with `…` to fit `max` px in `font`. */
export function fitText(text: string, max: number, font: string): string {
    if (textWidth(text, font) <= max) {
        return text;
    }
    let lo = 0;
    let hi = text.length;
    while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (textWidth(`${text.slice(0, mid)}…`, font) <= max) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    return `${text.slice(0, lo)}…`;
}
