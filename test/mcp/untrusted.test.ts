/**
 * `kmflow mcp` is untrusted by default: every way out that a caller could take is
 * refused with a clear `isError` before anything starts, and leaves no trace (the
 * marker a `sh -c` would create does not exist afterwards); the operator's grants
 * (`--allow-servers`, `--allow-exec`, `--allow-env`) open exactly what they name.
 * Driven through the real face with the SDK's client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunReport } from '../../src/engine/run/run-types.js';
import { errorLines, runAnswer, startOrchestrator, type OrchestratorClient } from './orchestrator-client.js';

const TOKEN_VAR = 'KMFLOW_MCP_TEST_TOKEN';
const TOKEN = 'tok-5f3a9c-not-for-callers';

/** Outside every root: where the markers and the outside files live. */
let outside: string;
let mcp: OrchestratorClient;
let granted: OrchestratorClient;

function marker(name: string): string {
    return path.join(outside, name);
}

/** A stdio server whose start leaves `name` behind. */
function touchServer(server: string, name: string): string {
    return `server ${server} {\n    command "sh"\n    args ["-c", "touch '${marker(name)}'"]\n}\n`;
}

beforeAll(async () => {
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-mcp-outside-'));
    fs.writeFileSync(path.join(outside, 'evil.kmflow'),
        `${touchServer('evil', 'evil-started')}workflow w {\n    step s uses evil.ping\n}\n`);
    fs.writeFileSync(path.join(outside, 'tools.kmflow'), touchServer('lib', 'lib-started'));
    const env = { [TOKEN_VAR]: TOKEN };
    mcp = await startOrchestrator({
        'servers.kmflow': touchServer('rootused', 'root-used-started') + touchServer('rootidle', 'root-idle-started'),
        'two.kmflow': 'workflow a {\n    step s uses log { with { message: "a" } }\n}\nworkflow b {\n    step s uses log { with { message: "b" } }\n}\n',
        'x.mjs': 'console.log(1)\n',
    }, { env });
    fs.symlinkSync(path.join(outside, 'evil.kmflow'), path.join(mcp.root, 'link.kmflow'));
    granted = await startOrchestrator({}, { env, args: ['--allow-exec', '--allow-servers', 'x', '--allow-env', TOKEN_VAR] });
});

afterAll(async () => {
    await mcp?.close();
    await granted?.close();
    fs.rmSync(outside, { recursive: true, force: true });
});

describe('kmflow mcp refuses, untrusted by default', () => {
    it('a caller-declared stdio server no step uses: refused, never started', async () => {
        const lines = errorLines(await mcp.call({
            operation: 'orchestrate',
            workflow_definition: `${touchServer('x', 'x-idle')}workflow w {\n    step s uses log { with { message: "hi" } }\n}\n`,
        }));
        expect(lines.join('\n')).toMatch(/server 'x' \(workflow_definition:1:1\): refused: a caller's workflow_definition may not declare servers/);
        expect(lines.join('\n')).toMatch(/--allow-servers x/);
        expect(fs.existsSync(marker('x-idle'))).toBe(false);
    });

    it('a caller-declared stdio server a step uses: refused before it starts', async () => {
        const result = await mcp.call({ operation: 'coordinate', workflow_definition: [`${touchServer('x', 'x-used')}workflow w {\n    step s uses x.ping\n}\n`] });
        expect(errorLines(result)[0]).toBe('refused before anything ran:');
        expect(fs.existsSync(marker('x-used'))).toBe(false);
    });

    it('the root\'s own server is started when used, and only then', async () => {
        const lines = errorLines(await mcp.call({ operation: 'orchestrate', workflow_definition: 'workflow w {\n    step s uses rootused.ping\n}\n' }));
        // `sh -c touch` is no MCP server: it lists no tool, but it was started
        expect(lines[0]).toMatch(/^unknown-tool: .*rootused\.ping/);
        expect(fs.existsSync(marker('root-used-started'))).toBe(true);
        expect(fs.existsSync(marker('root-idle-started'))).toBe(false);
    });

    it('a server written into the root after the face started is not the root\'s', async () => {
        fs.writeFileSync(path.join(mcp.root, 'late.kmflow'), touchServer('late', 'late-started'));
        const lines = errorLines(await mcp.call({ operation: 'orchestrate', workflow_definition: 'workflow w {\n    step s uses late.ping\n}\n' }));
        expect(lines.join('\n')).toMatch(/server 'late' .*not one the root declared when kmflow mcp started/);
        expect(fs.existsSync(marker('late-started'))).toBe(false);
    });

    it('an absolute path outside the root: refused, not read', async () => {
        const lines = errorLines(await mcp.call({ operation: 'orchestrate', workflow_definition: { file: path.join(outside, 'evil.kmflow') } }));
        expect(lines).toEqual([`workflow_definition.file: '${path.join(outside, 'evil.kmflow')}' is outside the workspace root: refused (paths stay inside the server's root)`]);
        expect(fs.existsSync(marker('evil-started'))).toBe(false);
    });

    it('a ../ path: refused', async () => {
        const relative = path.relative(mcp.root, path.join(outside, 'evil.kmflow'));
        expect(relative.startsWith('..')).toBe(true);
        const lines = errorLines(await mcp.call({ operation: 'plan', workflow_definition: { file: relative } }));
        expect(lines[0]).toMatch(/^workflow_definition\.file: '\.\.\/.*evil\.kmflow' is outside the workspace root/);
        expect(fs.existsSync(marker('evil-started'))).toBe(false);
    });

    it('a symbolic link in the root pointing outside: refused', async () => {
        const lines = errorLines(await mcp.call({ operation: 'orchestrate', workflow_definition: { file: 'link.kmflow' } }));
        expect(lines[0]).toMatch(/^workflow_definition\.file: 'link\.kmflow' leads outside the workspace root \(through a symbolic link\)/);
        expect(fs.existsSync(marker('evil-started'))).toBe(false);
    });

    it('an import of a caller\'s source from outside the root: refused', async () => {
        const relative = path.relative(mcp.root, path.join(outside, 'tools'));
        const lines = errorLines(await mcp.call({ operation: 'orchestrate', workflow_definition: `import "${relative}"\nworkflow w {\n    step s uses lib.ping\n}\n` }));
        expect(lines[0]).toMatch(new RegExp(`^workflow_definition: import '${relative.replace(/\./g, '\\.')}': .* is outside the workspace root`));
        expect(fs.existsSync(marker('lib-started'))).toBe(false);
    });

    it('a shell step without --allow-exec: refused before any step runs', async () => {
        const lines = errorLines(await mcp.call({
            operation: 'orchestrate',
            workflow_definition: `workflow w {\n    step a uses file.write { with { path: "first.txt", content: "x" } }\n` +
                `    step b uses shell { with { command: "touch '${marker('shell-ran')}'" } after a }\n}\n`,
        }));
        expect(lines).toEqual(['refused before anything ran:', "step 'b' of workflow 'w' uses shell: refused: kmflow mcp runs shell steps only with --allow-exec"]);
        expect(fs.existsSync(path.join(mcp.root, 'first.txt'))).toBe(false);
        expect(fs.existsSync(marker('shell-ran'))).toBe(false);
    });

    it('${env.X} and ${secret.X} read nothing from the host', async () => {
        for (const scope of ['env', 'secret']) {
            const result = await mcp.call({
                operation: 'orchestrate', enterprise_mode: false,
                workflow_definition: `workflow w {\n    step s uses file.write { with { path: "${scope}.txt", content: "v=\${${scope}.${TOKEN_VAR}}" } }\n}\n`,
            });
            expect(JSON.stringify(result)).not.toContain(TOKEN);
            const written = path.join(mcp.root, `${scope}.txt`);
            expect(fs.existsSync(written) ? fs.readFileSync(written, 'utf8') : '').not.toContain(TOKEN);
        }
    });
});

describe('kmflow mcp with grants', () => {
    it('--allow-servers x: the caller\'s server x is started', async () => {
        const lines = errorLines(await granted.call({ operation: 'orchestrate', workflow_definition: `${touchServer('x', 'x-granted')}workflow w {\n    step s uses x.ping\n}\n` }));
        expect(lines[0]).toMatch(/^unknown-tool: .*x\.ping/);
        expect(fs.existsSync(marker('x-granted'))).toBe(true);
    });

    it('--allow-servers x grants no other name', async () => {
        const lines = errorLines(await granted.call({ operation: 'orchestrate', workflow_definition: `${touchServer('y', 'y-granted')}workflow w {\n    step s uses y.ping\n}\n` }));
        expect(lines.join('\n')).toMatch(/server 'y' .*refused/);
        expect(fs.existsSync(marker('y-granted'))).toBe(false);
    });

    it('--allow-exec: shell steps run', async () => {
        const report = runAnswer<RunReport>(await granted.call({
            operation: 'orchestrate', enterprise_mode: false,
            workflow_definition: `workflow w {\n    step b uses shell { with { command: "touch '${marker('shell-granted')}'" } }\n}\n`,
        }));
        expect(report.status).toBe('succeeded');
        expect(fs.existsSync(marker('shell-granted'))).toBe(true);
    });

    it('--allow-env X: ${env.X} reads the host variable', async () => {
        runAnswer<RunReport>(await granted.call({
            operation: 'orchestrate', enterprise_mode: false,
            workflow_definition: `workflow w {\n    step s uses file.write { with { path: "env.txt", content: "v=\${env.${TOKEN_VAR}}" } }\n}\n`,
        }));
        expect(fs.readFileSync(path.join(granted.root, 'env.txt'), 'utf8')).toBe(`v=${TOKEN}`);
    });
});
