/**
 * The young generation a one-shot command holds at its first size (src/cli/young-generation.ts):
 * V8 must read the growth factor set at run time. In a child process (V8's flags are the
 * process's), a parse-like load (300,000 objects, all kept) grows it to 2 × 16 MB by default
 * and leaves it small when held.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const MODULE = path.resolve(import.meta.dirname, '../../src/cli/young-generation.ts');
const SCRIPT = `
import * as v8 from 'node:v8';
const { holdYoungGeneration } = await import(process.argv[2]);
if (process.argv.includes('--hold')) holdYoungGeneration();
const keep = [];
for (let i = 0; i < 300000; i++) keep.push({ i, s: 'x' + i });
const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
console.log(JSON.stringify({ mb: space.space_size / 1048576, kept: keep.length }));
`;

function youngGenerationMb(hold: boolean): number {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-young-'));
    try {
        const script = path.join(dir, 'load.mjs');
        fs.writeFileSync(script, SCRIPT);
        const child = spawnSync(process.execPath, ['--import', 'tsx', script, MODULE, ...(hold ? ['--hold'] : [])], { encoding: 'utf8' });
        expect(child.status, child.stderr).toBe(0);
        const { mb, kept } = JSON.parse(child.stdout) as { mb: number; kept: number };
        expect(kept).toBe(300_000);
        return mb;
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

describe('holdYoungGeneration', () => {
    it('keeps the young generation small while nearly everything survives', () => {
        const grown = youngGenerationMb(false);
        const held = youngGenerationMb(true);
        expect(grown).toBeGreaterThanOrEqual(16);
        expect(held).toBeLessThanOrEqual(4);
    });
});
