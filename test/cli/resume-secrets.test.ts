/**
 * A resume and secrets, through the real CLI: nothing secret is journaled, so the
 * resume says which secrets it reads again, refuses to go on without an input declared
 * secret, and reruns the secret step a step still to run needs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const WORKFLOW = `workflow w {
    input pin: string secret
    errors resilient
    step login uses log { with { message: "pin \${input.pin} token \${secret.KM_SECRET}" } }
    step need uses file.read { with { path: "ready.txt" } }
    step use uses log { with { message: login.output.message } after need }
}
`;
const PIN = '4711-0815-pin';
const TOKEN = 'tok-resume-77aa';

let dir: string;
beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-resume-secrets-'));
    fs.writeFileSync(path.join(dir, 'w.kmflow'), WORKFLOW);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('resuming a run that read secrets', () => {
    it('journals none, asks for them again, and reruns the secret step that is needed', async () => {
        const env = { KM_SECRET: TOKEN };
        const first = await runCli(['run', 'w.kmflow', '--input', `pin=${PIN}`, '--json'], { cwd: dir, env });
        expect(first.code).toBe(1);
        const journals = fs.readdirSync(path.join(dir, '.kmflow', 'runs')).map((f) => fs.readFileSync(path.join(dir, '.kmflow', 'runs', f), 'utf8')).join('\n');
        expect(journals).not.toContain(PIN);
        expect(journals).not.toContain(TOKEN);

        const refused = await runCli(['run', 'w.kmflow', '--resume', 'last'], { cwd: dir, env });
        expect(refused.code).toBe(2);
        expect(refused.stderr).toMatch(/note: secrets are never journaled, so this resume asks for them again: secret\.KM_SECRET from the environment; input pin from --input/);
        expect(refused.stderr).toMatch(/input 'pin' held a secret, which the journal never keeps; pass it again \(--input pin=\.\.\.\)/);

        fs.writeFileSync(path.join(dir, 'ready.txt'), 'go');
        const resumed = await runCli(['run', 'w.kmflow', '--resume', 'last', '--input', `pin=${PIN}`, '--json'], { cwd: dir, env });
        expect(resumed.code).toBe(0);
        const report = JSON.parse(resumed.stdout) as { steps: Array<{ id: string; attempts: number; resumed?: boolean; output: unknown }> };
        const login = report.steps.find((s) => s.id === 'login')!;
        // `use` reads login's output, journaled as ***: login runs again with the secrets given now.
        expect(login).toMatchObject({ attempts: 1, output: '***' });
        expect(login.resumed).toBeUndefined();
        expect(resumed.stdout + resumed.stderr).not.toContain(TOKEN);
        expect(resumed.stdout + resumed.stderr).not.toContain(PIN);
    }, 60_000);
});

describe('a malformed secret input', () => {
    it('is refused without being quoted back', async () => {
        fs.writeFileSync(path.join(dir, 'n.kmflow'), 'workflow n {\n    input code: number secret\n    step s uses log { with { message: "x" } }\n}\n');
        const result = await runCli(['run', 'n.kmflow', '--input', 'code=hunter2-not-a-number'], { cwd: dir });
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(/input 'code' is a number, not the value given \(secret: not shown\)/);
        expect(result.stderr).not.toContain('hunter2');
    });
});
