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
    return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax').map((m) => m.message);
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
        ['src/shared/probe.ts', "import '../server/main.js';"],
        ['src/extension/probe.ts', "import '../engine/run/index.js';"],
        ['src/extension/core/probe.ts', "import type { RunReport } from '../../engine/run/run-types.js';"],
        ['src/extension/probe.ts', "import '../language/catalogs.js';"],
        ['src/extension/probe.ts', "import '../app/index.js';"],
        ['src/extension/probe.ts', "import '../server/main.js';"],
        ['src/extension/probe.ts', "import { URI } from 'langium';"],
        ['src/extension/probe.ts', "import 'vscode-languageserver/node.js';"],
        ['src/extension/probe.ts', "import 'ajv';"],
        ['src/server/probe.ts', "import '../cli/main.js';"],
        ['src/server/requests/probe.ts', "import '../../mcp/server.js';"],
        ['src/server/probe.ts', "import '../extension/main.js';"],
        ['src/server/probe.ts', "import '../webview/main.js';"],
        ['src/language/probe.ts', "import '../server/main.js';"],
        ['src/language/lsp/probe.ts', "import '../../app/index.js';"],
        ['src/mcp/probe.ts', "import '../server/main.js';"],
        ['src/mcp/probe.ts', "import type { CommandContext } from '../cli/command-context.js';"],
        // Outside the engine, a part is imported through its index.
        ['src/app/probe.ts', "import { runWorkflow } from '../engine/run/scheduler.js';"],
        ['src/server/requests/probe.ts', "import '../../engine/tools/builtins/index.js';"],
        ['src/mcp/probe.ts', "import '../engine/security/trust.js';"],
        ['src/language/lsp/probe.ts', "import type { ToolDescriptor } from '../../engine/model/model.js';"],
        ['src/cli/commands/probe.ts', "import '../../engine/graph/graph-svg.js';"],
        // import() as well: a lazily loaded engine file comes through its part's index too.
        ['src/cli/commands/probe.ts', "await import('../../engine/graph/graph-svg.js');"],
        ['src/language/probe.ts', "await import('../engine/tools/builtins/index.js');"],
        ['src/app/probe.ts', "import '../cli/main.js';"],
        ['src/app/probe.ts', "import '../server/main.js';"],
        // The webview: shared only.
        ['src/webview/probe.ts', "import '../engine/run/index.js';"],
        ['src/webview/probe.ts', "import '../extension/main.js';"],
        ['src/webview/probe.ts', "import 'ajv';"],
    ])('refuses %s: %s', async (file, source) => {
        expect(await restricted(file, source)).toHaveLength(1);
    });

    it.each([
        ['src/engine/probe.ts', "import './model.js';"],
        ['src/language/probe.ts', "import '../engine/model.js';"],
        ['src/language/lsp/probe.ts', "import type { ToolDescriptor } from '../../engine/model/index.js';"],
        ['src/cli/commands/probe.ts', "import { toSvg } from '../../engine/graph/index.js';"],
        ['src/cli/commands/probe.ts', "await import('../../engine/graph/index.js');"],
        ['src/engine/graph/probe.ts', "await import('./graph-svg.js');"],
        ['src/cli/probe.ts', "import '../language/kmflow-module.js';"],
        ['src/mcp/probe.ts', "import '../engine/security/index.js';"],
        ['src/app/probe.ts', "import { runWorkflow } from '../engine/run/index.js';"],
        ['src/app/probe.ts', "import '../language/kmflow-module.js';"],
        ['src/webview/probe.ts', "import '../shared/messages.js';"],
        ['src/webview/probe.ts', "import './graph-view.js';"],
        ['src/extension/probe.ts', "import * as vscode from 'vscode';"],
        ['src/extension/probe.ts', "import { LanguageClient } from 'vscode-languageclient/node.js';"],
        ['src/extension/probe.ts', "import * as fs from 'node:fs';"],
        ['src/extension/probe.ts', "import '../shared/lsp-protocol.js';"],
        ['src/extension/core/probe.ts', "import '../../shared/run-report.js';"],
        ['src/extension/probe.ts', "import './core/run-history.js';"],
        ['src/server/probe.ts', "import '../app/index.js';"],
        ['src/server/requests/probe.ts', "import '../../language/kmflow-module.js';"],
        ['src/server/probe.ts', "import '../engine/run/index.js';"],
        ['src/server/probe.ts', "import '../shared/lsp-protocol.js';"],
        ['src/cli/commands/probe.ts', "import '../../server/main.js';"],
    ])('allows %s: %s', async (file, source) => {
        expect(await restricted(file, source)).toEqual([]);
    });
});
