/**
 * Against the real Keyboard Maestro MCP server (../shared/peers/km-server.sh): lock its
 * published tools, check valid and invalid calls against them, and run a call, which off
 * macOS fails the way the server fails without the Keyboard Maestro Engine:
 * KM_CONNECTION_FAILED with the server's advice. Skipped, saying why, where the peer or
 * Python is absent, so a fresh clone still passes.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const PEER = process.env.KM_PEER ?? path.resolve(import.meta.dirname, '../../../shared/peers/km-server.sh');

function peerAbsence(): string | undefined {
    if (!fs.existsSync(PEER)) {
        return `the Keyboard Maestro peer is absent (${PEER}); set KM_PEER to its km-server.sh`;
    }
    if (spawnSync('python3', ['--version']).status !== 0) {
        return 'python3 is absent, and the Keyboard Maestro peer needs it';
    }
    const setup = spawnSync('bash', [PEER, '--setup'], { encoding: 'utf8', timeout: 300_000 });
    return setup.status === 0 ? undefined : `the Keyboard Maestro peer could not be set up: ${setup.stderr.trim().split('\n').pop()}`;
}

const absent = peerAbsence();
if (absent) {
    console.warn(`skipping the real Keyboard Maestro server suite: ${absent}`);
}

describe.skipIf(absent !== undefined)('the real Keyboard Maestro server', () => {
    let root: string;
    beforeAll(async () => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-km-peer-'));
        fs.writeFileSync(path.join(root, 'servers.kmflow'), `server km {\n    command "bash"\n    args [${JSON.stringify(PEER)}]\n    timeout 60s\n}\n`);
        const lock = await runCli(['lock', 'servers.kmflow'], { cwd: root, timeoutMs: 120_000 });
        expect(lock.stderr + lock.stdout).toMatch(/locked 29 tool\(s\) of server km/);
    }, 180_000);
    afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

    it('checks calls against the schemas it publishes: valid ones clean, broken ones at their line', async () => {
        fs.writeFileSync(path.join(root, 'calls.kmflow'), `import "km"
workflow calls {
    step edit uses km_macro_editor { with { operation: "rename", macro_id: "Daily", new_name: "Nightly" } }
    step crud uses km_trigger_crud { with { operation: "replace_all", macro_id: "Daily", triggers: [] } }
    step vars uses km_variable_manager { with { operation: "get", name: "X", _instance_id: "i1" } }
    step apps uses km_application_control { with { operation: "list_running" } }
    step groups uses km_macro_group_manager { with { operation: "set_enabled", group_id: "G", enabled: false } }
    step direct uses km.km_list_macros { with { limit: 5 } }
}
`);
        const clean = await runCli(['check', 'calls.kmflow', '--json'], { cwd: root });
        expect(JSON.parse(clean.stdout).diagnostics).toEqual([]);
        expect(clean.code).toBe(0);
        fs.writeFileSync(path.join(root, 'broken.kmflow'), `import "km"
workflow broken {
    step edit uses km_macro_editor { with { operation: "inspect", macro_identifier: "Daily" } }
}
`);
        const broken = await runCli(['check', 'broken.kmflow'], { cwd: root });
        expect(broken.code).toBe(1);
        expect(broken.stdout).toMatch(/broken\.kmflow:3:\d+ error invalid-param km_macro_editor: 'operation' must be one of "create", "delete", "rename", "duplicate", "set_enabled"/);
        expect(broken.stdout).toMatch(/broken\.kmflow:3:\d+ error invalid-param km_macro_editor: unknown parameter 'macro_identifier'/);
    });

    it('fails a run\'s step with the server\'s own code and advice', async () => {
        fs.writeFileSync(path.join(root, 'run.kmflow'), `import "km"
workflow listing {
    step list uses km_list_macros { with { limit: 5 } }
}
`);
        const result = await runCli(['run', 'run.kmflow', '--json'], { cwd: root, timeoutMs: 120_000 });
        expect(result.code).toBe(1);
        const step = JSON.parse(result.stdout).steps[0];
        expect(step).toMatchObject({ id: 'list', status: 'failed', error: { code: 'KM_CONNECTION_FAILED', retryable: true } });
        expect(step.error.advice).toMatch(/Keyboard Maestro is running/);
    }, 120_000);

    it('answers as the examples\' committed cassette recorded: what their replayed test relies on still holds', async () => {
        const example = path.resolve(import.meta.dirname, '../../examples');
        fs.copyFileSync(path.join(example, 'km-group-backup.kmflow'), path.join(root, 'km-group-backup.kmflow'));
        const result = await runCli(['run', 'km-group-backup.kmflow', '--record', 'fresh', '--json'], { cwd: root, timeoutMs: 120_000 });
        expect(result.code, result.stderr).toBe(1);
        type Interaction = { tool: string; arguments: unknown; result?: { structuredContent?: unknown } };
        const answers = (file: string) => (JSON.parse(fs.readFileSync(file, 'utf8')) as { interactions: Interaction[] }).interactions
            .map((i) => ({ tool: i.tool, arguments: i.arguments, answer: i.result?.structuredContent }))
            .sort((a, b) => a.tool.localeCompare(b.tool));
        expect(answers(path.join(root, '.kmflow/recordings/fresh.json')))
            .toEqual(answers(path.join(example, 'recordings/km-group-backup-no-engine.json')));
    }, 120_000);
});
