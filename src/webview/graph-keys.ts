/**
 * Keyboard navigation between nodes: an arrow key along the flow moves to the nearest
 * layer that way (its node nearest across), one across the flow to the next node of the
 * same layer; Home and End to the first and last step in the flow's order. Pure
 * geometry on the laid-out boxes, so it is tested without a browser.
 */
export interface Box {
    id: string;
    x: number;
    y: number;
    width: number;
    height: number;
}

const DIRS: Record<string, [number, number]> = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] };

/** Whether `key` moves between nodes. */
export function isNavigationKey(key: string): boolean {
    return key in DIRS || key === 'Home' || key === 'End';
}

/** The flow's order: layer by layer (top to bottom, or left to right), then across. */
export function flowOrder(boxes: readonly Box[], across = false): Box[] {
    return [...boxes].sort(across ? (a, b) => a.x - b.x || a.y - b.y : (a, b) => a.y - b.y || a.x - b.x);
}

/**
 * The node `key` moves to from node `from` (the first one when `from` is unknown);
 * `leftToRight`: the layers run left to right.
 */
export function neighbour(boxes: readonly Box[], from: string | undefined, key: string, leftToRight = false): string | undefined {
    const order = flowOrder(boxes, leftToRight);
    const here = boxes.find((b) => b.id === from);
    if (key === 'Home' || !here) {
        return order[0]?.id;
    }
    if (key === 'End') {
        return order[order.length - 1]?.id;
    }
    const dir = DIRS[key];
    if (!dir) {
        return undefined;
    }
    const cx = here.x + here.width / 2;
    const cy = here.y + here.height / 2;
    // Along the flow (Down when layers run top to bottom): to the nearest layer that way,
    // then the nearest node in it. Across the flow: the nearest node of the same layer.
    const alongFlow = leftToRight ? dir[0] !== 0 : dir[1] !== 0;
    const layerTolerance = (leftToRight ? here.width : here.height) / 2;
    const scored = boxes.filter((b) => b.id !== here.id).map((b) => {
        const dx = b.x + b.width / 2 - cx;
        const dy = b.y + b.height / 2 - cy;
        return { id: b.id, along: dx * dir[0] + dy * dir[1], across: Math.abs(dx * dir[1] - dy * dir[0]) };
    }).filter((c) => c.along > 1);
    const byAcross = (a: { across: number; along: number }, b: { across: number; along: number }): number => a.across - b.across || a.along - b.along;
    if (alongFlow) {
        const nearest = Math.min(...scored.map((c) => c.along));
        return scored.filter((c) => c.along <= nearest + layerTolerance).sort(byAcross)[0]?.id;
    }
    const sameLayer = scored.filter((c) => c.across < layerTolerance).sort((a, b) => a.along - b.along);
    return sameLayer[0]?.id ?? scored.sort((a, b) => a.along + 2 * a.across - (b.along + 2 * b.across))[0]?.id;
}
