/** Every shipped example checks clean: no errors and no warnings. */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../helpers/cli.js';

const dir = path.resolve(import.meta.dirname, '../../examples');
const examples = fs.readdirSync(dir).filter((f) => f.endsWith('.kmflow'));

describe('examples', () => {
    it('exist', () => {
        expect(examples.length).toBeGreaterThanOrEqual(3);
    });
    it('check clean', async () => {
        const r = await runCli(['check', ...examples.map((e) => path.join('examples', e)), '--json'], { cwd: path.dirname(dir) });
        const diags = (JSON.parse(r.stdout) as { diagnostics: Array<{ severity: string }> }).diagnostics
            .filter((d) => d.severity === 'error' || d.severity === 'warning');
        expect(diags).toEqual([]);
        expect(r.code).toBe(0);
    });
});
