/**
 * The command line and the MCP face check with the language services without the editor's
 * (kmflow-core-module.ts); the language server with all of them (kmflow-module.ts). Both
 * must say the same of every file: the same diagnostics for the examples and for broken
 * and tricky sources.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NodeFileSystem } from 'langium/node';
import { createKmflowServices, type KmflowServices } from '../../src/language/kmflow-module.js';
import { createKmflowCoreServices } from '../../src/language/kmflow-core-module.js';
import { loadFiles } from '../../src/language/load-files.js';

const EXAMPLES = path.resolve(import.meta.dirname, '../../examples');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-core-services-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const SOURCES: Record<string, string> = {
    'broken.kmflow': 'workflow w {\n    step a uses nothing_known { with { x: } }\n    step b uses log { after a, c }\n}\n',
    'km.kmflow': 'import "km"\nserver km { command "python" }\nworkflow w {\n    step a uses km_list_macros\n    step b uses km.km_list_macros\n}\n',
    'cycle.kmflow': 'workflow w {\n    step a uses log { with { message: "${b.output}" } }\n    step b uses log { with { message: "${a.output}" } }\n}\n',
};

async function diagnostics(services: KmflowServices, file: string): Promise<unknown[]> {
    const loaded = await loadFiles(services, [file], { root: path.dirname(file) });
    return (loaded.documents[0]?.document.diagnostics ?? [])
        .map((d) => ({ range: d.range, severity: d.severity, code: d.code, message: d.message }));
}

describe('the core language services', () => {
    const files = [
        ...fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.kmflow')).map((f) => path.join(EXAMPLES, f)),
        ...Object.entries(SOURCES).map(([name, text]) => {
            const file = path.join(dir, name);
            fs.writeFileSync(file, text);
            return file;
        }),
    ];

    it.each(files.map((f) => [path.basename(f), f]))('say what the full services say of %s', async (_name, file) => {
        const core = await diagnostics(createKmflowCoreServices(NodeFileSystem), file);
        const full = await diagnostics(createKmflowServices(NodeFileSystem).Kmflow, file);
        expect(core).toEqual(full);
        if (file.endsWith('broken.kmflow')) {
            expect(full.length).toBeGreaterThan(1);
        }
    });
});
