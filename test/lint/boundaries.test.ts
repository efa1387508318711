/**
 * The architecture's arrows are lint rules (eslint.config.mjs): each wrong import below
 * must be reported, and each right one must pass, so a rule that silently stops matching
 * fails here.
 */
import * as path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

async function restricted(file: string, source: string): Promise<string[]> {
    const [result] = await eslint.lintText(`${source}\nexport {};\n`, { filePath: path.join(ROOT, file) });
    return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries', () => {
    it.each([
        ['src/engine/probe.ts', "import 'vscode';"],
        ['src/engine/probe.ts', "import { LangiumDocument } from 'langium';"],
        ['src/engine/probe.ts', "import '../language/kmflow-module.js';"],
        ['src/engine/run/probe.ts', "import '../../cli/main.js';"],
        ['src/engine/probe.ts', "import '../mcp/server.js';"],
        ['src/language/probe.ts', "import '../cli/main.js';"],
        ['src/language/lsp/probe.ts', "import '../../extension/main.js';"],
        ['src/mcp/probe.ts', "import '../extension/main.js';"],
        ['src/cli/commands/probe.ts', "import '../../webview/main.js';"],
        ['src/shared/probe.ts', "import '../engine/model.js';"],
    ])('refuses %s: %s', async (file, source) => {
        expect(await restricted(file, source)).toHaveLength(1);
    });

    it.each([
        ['src/engine/probe.ts', "import './model.js';"],
        ['src/language/probe.ts', "import '../engine/model.js';"],
        ['src/cli/probe.ts', "import '../language/kmflow-module.js';"],
        ['src/mcp/probe.ts', "import '../engine/trust.js';"],
    ])('allows %s: %s', async (file, source) => {
        expect(await restricted(file, source)).toEqual([]);
    });
});
