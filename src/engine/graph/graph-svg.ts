/**
 * The DAG as a standalone SVG, laid out left to right by the layout the VS Code webview
 * uses (src/shared/graph-layout.ts), critical path marked, statuses coloured when given.
 */
import { layoutGraph, nodeWidth } from '../../shared/graph-layout.js';
import { buildGraph } from './graph.js';
import type { WorkflowSpec } from '../model/model.js';
import type { RenderOptions } from './graph-render.js';

const FILL: Record<string, string> = {
    succeeded: '#2e7d32', failed: '#c62828', skipped: '#9e9e9e', cancelled: '#6d4c41', compensated: '#f9a825',
};

function escapeXml(text: string): string {
    return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A text's width in px, estimated (no fonts to measure with): bold 13 px for the step id, 11 px for the tool. */
function textWidth(text: string, px: number): number {
    return text.length * px * 0.6;
}

/** The text, cut with an ellipsis to fit a box `width` wide (the layout caps box widths). */
function fit(text: string, px: number, width: number): string {
    const room = Math.floor((width - 16) / (px * 0.6));
    return text.length <= room ? text : `${text.slice(0, Math.max(1, room - 1))}…`;
}

export async function toSvg(workflow: WorkflowSpec, options: RenderOptions = {}): Promise<string> {
    const graph = buildGraph(workflow);
    const critical = new Set(options.criticalPath ?? []);
    const nodes = workflow.steps.map((s) => ({ id: s.id }));
    const edges = graph.deps.flatMap((deps, i) => deps.map((d) => ({ from: graph.ids[d]!, to: graph.ids[i]! })));
    const layout = await layoutGraph({ nodes, edges }, 'RIGHT',
        (id) => nodeWidth([textWidth(id, 13), textWidth(options.tools?.get(id) ?? '', 11)]));
    const parts: string[] = [];
    for (const { from, to, points } of layout.edges) {
        const hot = critical.has(from) && critical.has(to);
        parts.push(`<polyline points="${points.map((p) => `${p.x},${p.y}`).join(' ')}" fill="none" ` +
            `stroke="${hot ? '#d84315' : '#78909c'}" stroke-width="${hot ? 3 : 1.5}" marker-end="url(#arrow)"/>`);
    }
    for (const node of layout.nodes) {
        const status = options.statuses?.get(node.id);
        const fill = status ? FILL[status] : '#eceff1';
        const ink = status ? '#ffffff' : '#263238';
        const hot = critical.has(node.id);
        const tool = options.tools?.get(node.id);
        const cx = node.x + node.width / 2;
        parts.push(`<g class="step" data-step="${escapeXml(node.id)}">` +
            `<rect x="${node.x}" y="${node.y}" width="${node.width}" height="${node.height}" rx="6" fill="${fill}" ` +
            `stroke="${hot ? '#d84315' : '#90a4ae'}" stroke-width="${hot ? 3 : 1}"/>` +
            `<text x="${cx}" y="${node.y + (tool ? 26 : 36)}" text-anchor="middle" fill="${ink}" font-weight="bold">${escapeXml(fit(node.id, 13, node.width))}</text>` +
            (tool ? `<text x="${cx}" y="${node.y + 44}" text-anchor="middle" fill="${ink}" font-size="11">${escapeXml(fit(tool, 11, node.width))}</text>` : '') +
            '</g>');
    }
    const w = Math.ceil(layout.width);
    const h = Math.ceil(layout.height);
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="Helvetica, Arial, sans-serif" font-size="13">\n` +
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse">' +
        '<path d="M 0 0 L 10 5 L 0 10 z" fill="#78909c"/></marker></defs>\n' +
        `<title>${escapeXml(workflow.title ?? workflow.id)}</title>\n${parts.join('\n')}\n</svg>\n`;
}
