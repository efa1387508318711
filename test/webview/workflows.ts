/**
 * Real data for the webview tests: graph messages made by the language server's
 * `graphMessage` from kmflow text the language reads (3 steps, or a 200-step pipeline
 * of fan-outs and joins), and real runs: one against an MCP server that fails the way
 * FastMCP tools do (a retried error, then a failure with the server's advice), and one
 * cancelled while a step waits.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RunEvent, RunReport } from '../../src/engine/run/run-types.js';
import { TRUSTED } from '../../src/engine/security/trust.js';
import { graphMessage } from '../../src/server/graph-model.js';
import { prepareText, runText } from '../helpers/app-runs.js';
import type { GraphMessage } from '../../src/shared/messages.js';
import { envelopeServer } from '../helpers/mcp-servers.js';

/** A workflow of `n` steps: stages that fan out and join again, each step after one or two of the stage before. */
export function pipelineText(name: string, n: number): string {
    const lines = [`workflow ${name} "A pipeline of ${n} steps" {`, '    mode parallel'];
    const tools: Array<[string, string]> = [['log', 'with { message: "x" }'], ['delay', 'with { ms: 1 }'], ['template', 'with { template: "t", values: {} }']];
    const stages: string[][] = [];
    let made = 0;
    for (let s = 0; made < n; s++) {
        const width = Math.min(n - made, n <= 3 ? 1 : [1, 4, 9, 14, 6, 12, 3, 10][s % 8]!);
        const stage: string[] = [];
        for (let i = 0; i < width; i++, made++) {
            const id = `${['fetch', 'parse', 'enrich', 'score', 'merge', 'store', 'notify', 'check'][s % 8]}_${String(made).padStart(3, '0')}`;
            const prev = stages[s - 1];
            const after = prev ? [...new Set([prev[i % prev.length]!, prev[(i * 7 + 3) % prev.length]!])] : [];
            const [tool, body] = tools[made % tools.length]!;
            lines.push(`    step ${id} uses ${tool} { ${body}${after.length ? ` after ${after.join(', ')}` : ''} }`);
            stage.push(id);
        }
        stages.push(stage);
    }
    lines.push('}');
    return `${lines.join('\n')}\n`;
}

/** The graph message of a workflow text, as the extension makes it. */
export async function graphOf(text: string, uri: string): Promise<GraphMessage> {
    const prepared = await prepareText({ file: fileURLToPath(uri), text });
    return graphMessage(prepared.workflow, prepared.registry, uri);
}

/** The graph of an `n`-step pipeline named `name`. */
export function pipelineGraph(name: string, n: number): Promise<GraphMessage> {
    return graphOf(pipelineText(name, n), `file:///fixture/${name}.kmflow`);
}

export interface RealRun {
    graph: GraphMessage;
    events: RunEvent[];
    report: RunReport;
}

async function run(name: string, text: string, abortAfterMs?: number): Promise<RealRun> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-webview-'));
    try {
        const file = path.join(root, `${name}.kmflow`);
        fs.writeFileSync(file, text);
        const uri = pathToFileURL(file).toString();
        const prepared = await prepareText({ file, text });
        const events: RunEvent[] = [];
        const controller = new AbortController();
        const timer = abortAfterMs !== undefined ? setTimeout(() => controller.abort(new Error('cancelled by the user')), abortAfterMs) : undefined;
        const report = await runText(prepared, { root, trust: TRUSTED, onEvent: (e) => events.push(e), signal: controller.signal });
        clearTimeout(timer);
        return { graph: graphMessage(prepared.workflow, prepared.registry, uri), events, report };
    } finally {
        fs.rmSync(root, { recursive: true, force: true });
    }
}

/** A run whose `flaky` step fails twice (retryable, with advice) then succeeds, and whose `invalid` step fails with advice. */
export function failingRun(): Promise<RealRun> {
    return run('failing', `${envelopeServer()}workflow failing "A tool that refuses" {
    errors adaptive
    step flaky uses fastmcp.flaky { retry 3 backoff 10ms }
    step invalid uses fastmcp.invalid { retry 3 backoff 10ms }
    step after_invalid uses log { with { message: "\${invalid.output}" } }
    step side uses log { with { message: "independent" } }
}
`);
}

/** A run cancelled while its `wait` step runs. */
export function cancelledRun(): Promise<RealRun> {
    return run('slow', `workflow slow "Cancelled while waiting" {
    mode parallel
    step quick uses log { with { message: "quick" } }
    step wait uses delay { with { ms: 5000 } }
    step after_wait uses log { with { message: "done" } after wait }
}
`, 300);
}
