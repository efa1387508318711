import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildWorkspace } from '../helpers/documents.js';
import { BUNDLED_CATALOGS } from '../../src/language/catalogs.js';

const dir = path.join(import.meta.dirname, '../fixtures/spec');
const examples = fs.readdirSync(dir).filter((f) => f.endsWith('.kmflow')).sort();

describe('the examples of the language spec', () => {
    it('are all present', () => {
        expect(examples.length).toBeGreaterThanOrEqual(3);
    });

    for (const file of examples) {
        it(`${file} parses without lexer or parser errors`, async () => {
            const text = fs.readFileSync(path.join(dir, file), 'utf8');
            const ws = await buildWorkspace({ [file]: text });
            const result = ws.documents.get(file)!.parseResult;
            expect(result.lexerErrors).toEqual([]);
            expect(result.parserErrors.map((e) => `${e.token.startLine}:${e.token.startColumn} ${e.message}`)).toEqual([]);
        });
    }
});

describe('the bundled catalogs', () => {
    for (const catalog of BUNDLED_CATALOGS) {
        it(`${catalog.name} parses and checks clean`, async () => {
            const ws = await buildWorkspace({});
            const doc = ws.services.shared.workspace.LangiumDocuments.getDocument(catalog.uri)!;
            expect(doc.parseResult.parserErrors).toEqual([]);
            expect((doc.diagnostics ?? []).filter((d) => d.severity === 1).map((d) => d.message)).toEqual([]);
        });
    }

    it('std declares every built-in tool of the interface with a schema', async () => {
        const ws = await buildWorkspace({ 'main.kmflow': '' });
        const tools = ws.services.tools.ToolIndex.visibleTools(ws.documents.get('main.kmflow')!);
        const builtins = tools.filter((t) => t.source === 'builtin');
        expect(builtins.map((t) => t.id).sort()).toEqual([
            'assert', 'delay', 'file.delete', 'file.list', 'file.read', 'file.write', 'http.request', 'json.query',
            'log', 'shell', 'template',
        ]);
        for (const t of builtins) {
            expect(t.inputSchema, t.id).toMatchObject({ type: 'object' });
            expect(t.via, t.id).toEqual({ server: 'builtin', tool: t.id });
        }
        const security = Object.fromEntries(builtins.map((t) => [t.id, t.security]));
        expect(security).toMatchObject({ shell: 'high', 'http.request': 'high', log: 'standard', 'file.write': 'standard' });
        const readOnly = builtins.filter((t) => t.readOnly).map((t) => t.id).sort();
        expect(readOnly).toEqual(['assert', 'delay', 'file.list', 'file.read', 'json.query', 'log', 'template']);
    });

    it('km is visible only where it is imported', async () => {
        const ws = await buildWorkspace({ 'a.kmflow': 'import "km"', 'b.kmflow': '' });
        const index = ws.services.tools.ToolIndex;
        const ids = (name: string) => index.visibleTools(ws.documents.get(name)!).map((t) => t.id);
        expect(ids('a.kmflow')).toContain('km_list_macros');
        // 30 tools of the server's registry (29 published, 1 never under its own name),
        // 24 removed since early releases, 6 never implemented.
        expect(ids('a.kmflow').filter((id) => id.startsWith('km_')).length).toBe(60);
        expect(ids('b.kmflow')).not.toContain('km_list_macros');
    });
});

describe('the std catalog file', () => {
    it('is exactly what the engine\'s built-in tools generate (npm run generate:std)', async () => {
        const { renderStdCatalog } = await import('../../src/language/std-catalog.js');
        const committed = fs.readFileSync(path.join(import.meta.dirname, '../../src/language/catalogs/std.kmflow'), 'utf8');
        expect(committed).toBe(renderStdCatalog());
    });
});
