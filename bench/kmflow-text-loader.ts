/**
 * Lets a benchmark run the language under tsx: the language imports its bundled catalogs
 * (`.kmflow` files) as text, as esbuild's text loader does in the build. Import this module
 * first, and the language (dynamically) after it.
 */
import { register } from 'node:module';

register(`data:text/javascript,${encodeURIComponent(`
export async function load(url, context, next) {
    if (url.endsWith('.kmflow')) {
        const { readFileSync } = await import('node:fs');
        return { format: 'module', shortCircuit: true, source: 'export default ' + JSON.stringify(readFileSync(new URL(url), 'utf8')) };
    }
    return next(url, context);
}`)}`);
