/**
 * The security tester's finding as a property: for random secret values (regex
 * metacharacters, quotes, unicode, short ones of 4+ characters), a workflow that logs
 * the secret, echoes it through `shell` (raw, base64 folded across lines, hex, on
 * stderr), writes it to a file and reads it back as text and base64, reverses it with
 * json.query (public and not), and fails with it in errors, run by the real CLI with
 * the secret in the environment, leaves no trace of it: not in stdout, not in stderr,
 * not in any byte under `.kmflow/` (journal, report, cache, history), in any of its
 * encodings.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/** The workflow (`#{` stands for kmflow's `${`, which a template literal would take). */
const WORKFLOW = String.raw`workflow leak {
    cache intelligent
    errors resilient
    step say uses log { with { message: "token #{secret.KM_SECRET}" } }
    step echo uses shell {
        with {
            command: "printf '%s|' \"$S\"; printf '%s' \"$S\" | base64 | fold -w 7; printf '%s' \"$S\" | od -An -v -tx1 | tr -d ' \\n'; printf '%s' \"$S\" >&2",
            env: { S: secret.KM_SECRET }
        }
        public
    }
    step write uses file.write { with { path: "out/secret.txt", content: secret.KM_SECRET } }
    step encoded uses file.read { with { path: "out/secret.txt", encoding: "base64" } after write }
    step plain uses file.read { with { path: "out/secret.txt" } after write }
    step reversed uses json.query { with { input: plain.output.content, expression: "reverse(@)" } public }
    step hidden uses json.query { with { input: plain.output.content, expression: "reverse(@)" } }
    step cached uses json.query { with { input: { a: "harmless" }, expression: "a" } }
    step refuse uses assert { with { condition: false, message: "bad #{secret.KM_SECRET}" } }
    step missing uses file.read { with { path: "nowhere/#{plain.output.content}" } }
    step crash uses shell { with { command: "printf '%s' \"$S\" | base64 >&2; exit 3", env: { S: secret.KM_SECRET } } }
}
`.replaceAll('#{', '${');

/** The characters that break naive maskers: regex and shell metacharacters, quotes, escapes, unicode. */
const CHARS = [...'aZ09', ...'.*+?^$|()[]{}\\/', ...'"\'`<>&;%=#-_~!@', 'é', 'ß', '中', 'Ω', '😀', '🔑', ' '];

const secretArb = fc.oneof(
    fc.array(fc.constantFrom(...CHARS), { minLength: 4, maxLength: 6 }).map((a) => a.join('')),
    fc.array(fc.constantFrom(...CHARS), { minLength: 7, maxLength: 28 }).map((a) => a.join('')),
    fc.string({ unit: 'grapheme', minLength: 4, maxLength: 16 }),
).filter((s) => s.trim().length >= 4 && new Set(s).size >= 3 && !s.startsWith('-'));

/** The secret's encodings, worked out here independently of the engine: none may appear. */
function encodings(secret: string): string[] {
    const bytes = Buffer.from(secret, 'utf8');
    const out = new Set<string>([
        secret,
        bytes.toString('hex'),
        bytes.toString('hex').toUpperCase(),
        JSON.stringify(secret).slice(1, -1),
        [...secret].reverse().join(''),
        secret.split('').reverse().join(''),
    ]);
    try {
        out.add(encodeURIComponent(secret));
    } catch {
        // lone surrogates have no URL form
    }
    for (const encoding of ['base64', 'base64url'] as const) {
        for (let k = 0; k < 3; k++) {
            // Only the characters made of the secret's own bits at this alignment.
            const text = Buffer.concat([Buffer.alloc(k), bytes]).toString(encoding);
            out.add(text.slice(Math.ceil((8 * k) / 6), Math.floor((8 * (k + bytes.length)) / 6)));
        }
    }
    return [...out].filter((e) => e.length >= 4);
}

/** Every file under `dir`, recursively, as text. */
function filesUnder(dir: string): Array<[string, string]> {
    if (!fs.existsSync(dir)) {
        return [];
    }
    return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => {
            const file = path.join(e.parentPath, e.name);
            return [file, fs.readFileSync(file, 'utf8')] as [string, string];
        });
}

let base: string;
beforeAll(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-secret-prop-'));
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

let runs = 0;

describe('a secret leaves no trace in anything a run shows or writes', () => {
    it('for random secrets, through the real CLI', async () => {
        await fc.assert(fc.asyncProperty(secretArb, async (secret) => {
            const root = path.join(base, `r${runs++}`);
            fs.mkdirSync(root);
            fs.writeFileSync(path.join(root, 'leak.kmflow'), WORKFLOW);
            const result = await runCli(['run', 'leak.kmflow', '--allow-exec', '--json'], { cwd: root, env: { KM_SECRET: secret } });
            // The run happened: the secret was really used (the workflow's own file holds it).
            expect(result.code).toBe(1);
            expect(fs.readFileSync(path.join(root, 'out', 'secret.txt'), 'utf8')).toBe(secret);
            const report = JSON.parse(result.stdout) as { steps: Array<{ id: string; status: string }> };
            expect(report.steps.filter((s) => s.status === 'failed').map((s) => s.id).sort()).toEqual(['crash', 'missing', 'refuse']);
            const written: Array<[string, string]> = [['stdout', result.stdout], ['stderr', result.stderr], ...filesUnder(path.join(root, '.kmflow'))];
            expect(written.some(([file]) => file.includes(`${path.sep}cache${path.sep}`))).toBe(true);
            const hits: string[] = [];
            for (const [where, text] of written) {
                // Also as split across lines: newlines and JSON's `\n` left out.
                const joined = text.replace(/\\n|\r?\n/g, '');
                for (const form of encodings(secret)) {
                    if (text.includes(form) || joined.includes(form)) {
                        hits.push(`${where.startsWith(root) ? path.relative(root, where) : where}: ${JSON.stringify(form)}`);
                    }
                }
            }
            expect(hits).toEqual([]);
        }), { numRuns: 18, seed: Number(process.env.KMFLOW_PROPERTY_SEED ?? 20261127), endOnFailure: true });
    }, 120_000);
});
