/**
 * The `kmflow` command line: one engine, the same checks as the editor. Every command
 * takes `--json` (one JSON document on stdout) and `--root DIR`. Bad input gets one line
 * and exit 2, never a stack trace.
 */
import { parseArgs } from 'node:util';
import * as path from 'node:path';
import type { CommandContext } from './command-context.js';
import { exitWhenIdle } from './exit-when-idle.js';
import { withOptionalValues } from './optional-value.js';
import { kmflowVersion } from './version.js';

/**
 * A command whose module is loaded when it runs: start-up pays only for what the command
 * uses (the bundle splits each command's code into chunks), `--version` for nothing.
 */
function lazy<K extends string>(load: () => Promise<Record<K, (ctx: CommandContext) => Promise<number>>>, name: K) {
    return async (ctx: CommandContext): Promise<number> => (await load())[name](ctx);
}

const checkCommand = lazy(() => import('./commands/check.js'), 'checkCommand');
const lspCommand = lazy(() => import('./commands/lsp.js'), 'lspCommand');
const runCommand = lazy(() => import('./commands/run.js'), 'runCommand');
const planCommand = lazy(() => import('./commands/plan.js'), 'planCommand');
const graphCommand = lazy(() => import('./commands/graph.js'), 'graphCommand');
const analyzeCommand = lazy(() => import('./commands/analyze.js'), 'analyzeCommand');
const toolsCommand = lazy(() => import('./commands/tools.js'), 'toolsCommand');
const suggestCommand = lazy(() => import('./commands/suggest.js'), 'suggestCommand');
const lockCommand = lazy(() => import('./commands/lock.js'), 'lockCommand');
const monitorCommand = lazy(() => import('./commands/monitor.js'), 'monitorCommand');
const optimizeCommand = lazy(() => import('./commands/optimize.js'), 'optimizeCommand');
const mcpCommand = lazy(() => import('./commands/mcp.js'), 'mcpCommand');
const testCommand = lazy(() => import('./commands/test.js'), 'testCommand');

type Command = (ctx: CommandContext) => Promise<number>;

const COMMANDS: Record<string, { run: Command; usage: string }> = {
    check: { run: checkCommand, usage: 'check FILE... [--json]    parse and validate' },
    run: { run: runCommand, usage: 'run FILE [--workflow ID] [--input k=v]... [--resume RUN_ID|last [--resume-lenient] [--rerun-from STEP]] [--record [NAME] | --replay NAME] [--max-output SIZE] [--allow-exec] [--json]' },
    lock: { run: lockCommand, usage: 'lock FILE...                  record the servers\' tool schemas in .kmflow/schemas.lock.json' },
    plan: { run: planCommand, usage: 'plan FILE [--workflow ID]    levels, critical path, predicted makespan' },
    graph: { run: graphCommand, usage: 'graph FILE [--format mermaid|dot|svg]' },
    analyze: { run: analyzeCommand, usage: 'analyze FILE [--workflow ID]  graph stats, synergies, security, bottlenecks' },
    tools: { run: toolsCommand, usage: 'tools [FILE...] [--server NAME]  the tool registry' },
    suggest: { run: suggestCommand, usage: 'suggest --capability X [--capability Y]... [--target T] [-o FILE]' },
    optimize: { run: optimizeCommand, usage: 'optimize FILE [--workflow ID]  recommendations from .kmflow/ history, each with its predicted effect' },
    monitor: { run: monitorCommand, usage: 'monitor                       tool metrics, health score and bottlenecks from .kmflow/ history' },
    mcp: { run: mcpCommand, usage: 'mcp [--http HOST:PORT] [--allow-exec] [--allow-servers N,..] [--allow-env N,..]  serve the km_ecosystem_orchestrator MCP tool over stdio or streamable HTTP; untrusted by default' },
    lsp: { run: lspCommand, usage: 'lsp --stdio [--trusted]       the language server, for any LSP editor' },
    test: { run: testCommand, usage: 'test [FILE...] [--filter TEXT] [--junit FILE] [--update-snapshots]  run the files\' test blocks (else every test under the root)' },
};

const OPTIONS = {
    json: { type: 'boolean' },
    root: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean' },
    workflow: { type: 'string' },
    input: { type: 'string', multiple: true },
    resume: { type: 'string' },
    'resume-lenient': { type: 'boolean' },
    'rerun-from': { type: 'string' },
    record: { type: 'string' },
    replay: { type: 'string' },
    'max-output': { type: 'string' },
    'allow-exec': { type: 'boolean' },
    'allow-servers': { type: 'string', multiple: true },
    'allow-env': { type: 'string', multiple: true },
    live: { type: 'boolean' },
    server: { type: 'string' },
    format: { type: 'string' },
    capability: { type: 'string', multiple: true },
    target: { type: 'string' },
    stdio: { type: 'boolean' },
    'node-ipc': { type: 'boolean' },
    trusted: { type: 'boolean' },
    output: { type: 'string', short: 'o' },
    http: { type: 'string' },
    'token-env': { type: 'string' },
    'allowed-origin': { type: 'string', multiple: true },
    filter: { type: 'string' },
    junit: { type: 'string' },
    'update-snapshots': { type: 'boolean' },
} as const;

function usage(): string {
    return ['usage: kmflow COMMAND [options]', '', ...Object.values(COMMANDS).map((c) => `  kmflow ${c.usage}`),
        '', 'Every command takes --json and --root DIR; kmflow --version prints the version.'].join('\n');
}

export async function main(argv: string[]): Promise<number> {
    const [name, ...rest] = argv;
    if (!name || name === '--help' || name === '-h' || name === 'help') {
        process.stdout.write(`${usage()}\n`);
        return name ? 0 : 2;
    }
    if (name === '--version') {
        process.stdout.write(`kmflow ${kmflowVersion()}\n`);
        return 0;
    }
    const command = COMMANDS[name];
    if (!command) {
        process.stderr.write(`kmflow: unknown command '${name}'\n${usage()}\n`);
        return 2;
    }
    let parsed;
    try {
        parsed = parseArgs({ args: withOptionalValues(rest, ['record']), options: OPTIONS, allowPositionals: true, strict: true });
    } catch (err) {
        process.stderr.write(`kmflow ${name}: ${(err as Error).message}\n`);
        return 2;
    }
    const ctx: CommandContext = {
        positionals: parsed.positionals,
        options: parsed.values as CommandContext['options'],
        json: Boolean(parsed.values.json),
        root: path.resolve(typeof parsed.values.root === 'string' ? parsed.values.root : process.cwd()),
        out: (line) => process.stdout.write(`${line}\n`),
        err: (line) => process.stderr.write(`${line}\n`),
        fail: (message) => process.stderr.write(`kmflow ${name}: ${message}\n`),
    };
    try {
        return await command.run(ctx);
    } catch (err) {
        // Last line of defence: one line, no stack, unless KMFLOW_DEBUG asks for it.
        const message = err instanceof Error ? err.message : String(err);
        process.stderr.write(`kmflow ${name}: ${message}\n`);
        if (process.env.KMFLOW_DEBUG && err instanceof Error) {
            process.stderr.write(`${err.stack}\n`);
        }
        return 2;
    }
}

// `kmflow tools | head`: a closed pipe ends the command quietly, as with any Unix tool.
// Any other failure to write (ENOBUFS on a flooded pipe) ends it with one line, no stack.
for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'EPIPE') {
            process.exit(process.exitCode ?? 0);
        }
        if (stream === process.stdout) {
            process.stderr.write(`kmflow: cannot write the output (${err.code ?? err.message})\n`);
        }
        process.exit(2);
    });
}

// Servers run until stopped; every other command exits once its work is done.
const SERVERS = new Set(['lsp', 'mcp']);

main(process.argv.slice(2)).then(
    (code) => {
        process.exitCode = code;
        const name = process.argv[2];
        if (name !== undefined && name in COMMANDS && !SERVERS.has(name)) {
            exitWhenIdle(name, code);
        }
    },
    (err) => { process.stderr.write(`kmflow: ${String(err)}\n`); process.exitCode = 2; },
);
