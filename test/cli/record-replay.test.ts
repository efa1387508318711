/**
 * `kmflow run --record [NAME]` and `--replay NAME` as a user meets them: record against
 * the real server-everything, replay with its path pointing nowhere and get the same
 * report; the options' mistakes and an unusable cassette are one line and exit 2.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { EVERYTHING_SERVER, everythingServer } from '../helpers/mcp-servers.js';

const FLOW = `${everythingServer()}
workflow cli_rr {
    step greet uses ev.echo { with { message: "from the cli" } }
    step sum uses ev."get-sum" { with { a: 20, b: 22 } }
    step save uses file.write { with { path: "saved.txt", content: "\${greet.output} \${sum.output}" } }
}
`;

let dir: string;

beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'kmflow-cli-rr-'));
    await writeFile(path.join(dir, 'flow.kmflow'), FLOW);
    await writeFile(path.join(dir, 'absent.kmflow'), FLOW.split(EVERYTHING_SERVER).join('/nonexistent/server-everything.js'));
});

afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
});

const steps = (json: string): unknown => (JSON.parse(json) as { steps: Array<{ id: string; status: string; output: unknown }> })
    .steps.map((s) => [s.id, s.status, s.output]);

describe('kmflow run --record / --replay', () => {
    it('records to .kmflow/recordings/WORKFLOW.json, then replays with the server absent: the same report', async () => {
        const recorded = await runCli(['run', 'flow.kmflow', '--record', '--json'], { cwd: dir });
        expect(recorded.code).toBe(0);
        expect(recorded.stderr).toContain(`MCP calls recorded to ${path.join('.kmflow', 'recordings', 'cli_rr.json')}`);
        const cassette = JSON.parse(await readFile(path.join(dir, '.kmflow/recordings/cli_rr.json'), 'utf8')) as { interactions: unknown[] };
        expect(cassette.interactions).toHaveLength(2);
        await rm(path.join(dir, 'saved.txt'));

        const replayed = await runCli(['run', 'absent.kmflow', '--replay', 'cli_rr', '--json'], { cwd: dir });
        expect(replayed.stderr).toContain('MCP calls replayed from');
        expect(replayed.code).toBe(0);
        expect(steps(replayed.stdout)).toEqual(steps(recorded.stdout));
        expect(existsSync(path.join(dir, 'saved.txt'))).toBe(false);
    });

    it('takes a NAME or a path after --record', async () => {
        const named = await runCli(['run', 'flow.kmflow', '--record', 'smoke'], { cwd: dir });
        expect(named.code).toBe(0);
        expect(existsSync(path.join(dir, '.kmflow/recordings/smoke.json'))).toBe(true);
        const atPath = await runCli(['run', '--record', 'tapes/one.json', 'flow.kmflow'], { cwd: dir });
        expect(atPath.code).toBe(0);
        expect(existsSync(path.join(dir, 'tapes/one.json'))).toBe(true);
    });

    it('fails a diverging call with the diff, exit 1', async () => {
        await writeFile(path.join(dir, 'changed.kmflow'), (await readFile(path.join(dir, 'absent.kmflow'), 'utf8')).replace('a: 20', 'a: 21'));
        const r = await runCli(['run', 'changed.kmflow', '--replay', 'cli_rr'], { cwd: dir });
        expect(r.code).toBe(1);
        expect(r.stdout).toContain('replay-divergence');
        expect(r.stdout).toContain('- a: 20');
        expect(r.stdout).toContain('+ a: 21');
    });

    it('refuses an unusable cassette or clashing options in one line, exit 2', async () => {
        await writeFile(path.join(dir, 'broken.json'), '{"version": 1, "interactions": [');
        const broken = await runCli(['run', 'absent.kmflow', '--replay', 'broken.json'], { cwd: dir });
        expect(broken.code).toBe(2);
        expect(broken.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^kmflow run: cassette .*broken\.json: is not valid JSON/)]);
        const both = await runCli(['run', 'flow.kmflow', '--record', 'x', '--replay', 'y'], { cwd: dir });
        expect(both.code).toBe(2);
        expect(both.stderr).toContain('--record and --replay do not go together');
        const resume = await runCli(['run', 'flow.kmflow', '--replay', 'cli_rr', '--resume', 'last'], { cwd: dir });
        expect(resume.code).toBe(2);
        expect(resume.stderr).toContain('--replay does not go with --resume');
    });
});
