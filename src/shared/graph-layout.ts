/**
 * The one layout of a workflow's DAG, for the CLI's SVG and the VS Code webview alike:
 * ELK's layered algorithm (elkjs, in-thread: the bundled build needs no worker, which a
 * strict CSP would refuse). Layers are dependency depth (a step sits one layer after its
 * deepest dependency: `LONGEST_PATH_SOURCE`), so the picture reads as the workflow
 * flows: top to bottom, or left to right (`pickDirection` tells which shows the graph
 * larger in a view of a given size). The result is plain boxes and polylines.
 */
import ElkBundled from 'elkjs/lib/elk.bundled.js';
import type { ELK, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';

export const NODE_HEIGHT = 62;
export const MIN_NODE_WIDTH = 120;
export const MAX_NODE_WIDTH = 260;
/** The width of a node whose texts were not measured. */
export const DEFAULT_NODE_WIDTH = 170;
/** Space between nodes of a layer, and between layers. */
const NODE_GAP = 18;
const LAYER_GAP = 44;
const PADDING = 12;

/** `DOWN`: top to bottom; `RIGHT`: left to right. */
export type Direction = 'DOWN' | 'RIGHT';

/** What is laid out: step ids and their dependency edges (`from` runs before `to`). */
export interface LayoutGraph {
    nodes: ReadonlyArray<{ id: string }>;
    edges: ReadonlyArray<{ from: string; to: string }>;
}

export interface LaidOutNode {
    id: string;
    x: number;
    y: number;
    width: number;
    height: number;
}

export interface LaidOutEdge {
    from: string;
    to: string;
    /** Polyline points, start to end. */
    points: Array<{ x: number; y: number }>;
}

export interface Layout {
    direction: Direction;
    width: number;
    height: number;
    nodes: LaidOutNode[];
    edges: LaidOutEdge[];
}

// A CommonJS module whose typings say `export default`: the constructor is the module
// itself once bundled, or its `default` under Node's interop.
type ElkConstructor = new () => ELK;
const ElkClass = ((ElkBundled as unknown as { default?: ElkConstructor }).default ?? ElkBundled) as unknown as ElkConstructor;
let elk: ELK | undefined;

/**
 * The direction that shows the graph larger in a `view` of that size: estimated from
 * the levels (how many layers, how many nodes in the widest) before any layout runs.
 */
export function pickDirection(graph: { nodes: ReadonlyArray<{ level: number }> }, view: { width: number; height: number },
    nodeWidth = DEFAULT_NODE_WIDTH): Direction {
    const perLevel = new Map<number, number>();
    graph.nodes.forEach((n) => perLevel.set(n.level, (perLevel.get(n.level) ?? 0) + 1));
    const layers = Math.max(1, perLevel.size);
    const widest = Math.max(1, ...perLevel.values());
    const fit = (w: number, h: number): number => Math.min(view.width / w, view.height / h);
    const down = fit(widest * (nodeWidth + NODE_GAP), layers * (NODE_HEIGHT + LAYER_GAP));
    const right = fit(layers * (nodeWidth + LAYER_GAP), widest * (NODE_HEIGHT + NODE_GAP));
    return right > down * 1.05 ? 'RIGHT' : 'DOWN';
}

/** The layout of a graph; `widthOf` gives each node's box width (`nodeWidth` of its texts). */
export async function layoutGraph(graph: LayoutGraph, direction: Direction,
    widthOf: (id: string) => number = () => DEFAULT_NODE_WIDTH): Promise<Layout> {
    const root: ElkNode = {
        id: '__root',
        layoutOptions: {
            'elk.algorithm': 'layered',
            'elk.direction': direction,
            'elk.layered.layering.strategy': 'LONGEST_PATH_SOURCE',
            // One picture, not one per connected part: an independent step sits in layer 0.
            'elk.separateConnectedComponents': 'false',
            'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
            'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
            'elk.edgeRouting': 'ORTHOGONAL',
            'elk.layered.spacing.nodeNodeBetweenLayers': String(LAYER_GAP),
            'elk.spacing.nodeNode': String(NODE_GAP),
            'elk.spacing.edgeNode': '10',
            'elk.padding': `[top=${PADDING},left=${PADDING},bottom=${PADDING},right=${PADDING}]`,
        },
        children: graph.nodes.map((n) => ({ id: n.id, width: widthOf(n.id), height: NODE_HEIGHT })),
        edges: graph.edges.map((e, i): ElkExtendedEdge => ({ id: `e${i}`, sources: [e.from], targets: [e.to] })),
    };
    elk ??= new ElkClass();
    const laid = await elk.layout(root);
    const nodes = (laid.children ?? []).map((c) => ({
        id: c.id, x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? DEFAULT_NODE_WIDTH, height: c.height ?? NODE_HEIGHT,
    }));
    const edges = (laid.edges ?? []).map((e) => {
        const { from, to } = graph.edges[Number(e.id.slice(1))]!;
        const section = e.sections?.[0];
        const points = section ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint] : [];
        return { from, to, points };
    });
    return { direction, width: laid.width ?? 0, height: laid.height ?? 0, nodes, edges };
}

/** A node box width for texts of these pixel widths (label, tool, status line). */
export function nodeWidth(textWidths: readonly number[]): number {
    return Math.round(Math.min(MAX_NODE_WIDTH, Math.max(MIN_NODE_WIDTH, 12 + Math.max(0, ...textWidths) + 26)));
}
