/**
 * `toSvg` as the part's index offers it: the SVG renderer and ELK, its layout (half the CLI's
 * code, a file of its own in the bundle: esbuild.mjs), are loaded when a picture is asked for,
 * not by everything that imports the graph.
 */
import type { WorkflowSpec } from '../model/model.js';
import type { RenderOptions } from './graph-render.js';

export async function toSvg(workflow: WorkflowSpec, options: RenderOptions = {}): Promise<string> {
    const svg = await import('./graph-svg.js');
    return svg.toSvg(workflow, options);
}
