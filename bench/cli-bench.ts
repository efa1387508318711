/**
 * What the CLI benchmarks share: spawning `node bin/kmflow …` as a user would and timing it
 * (wall, and CPU from the kernel's children counters where Linux has them), peak RSS
 * through a tiny `--import` probe, and the side-by-side table. Every figure is measured
 * in rounds, each round running every contender once, so a busy machine slows them alike
 * and the ratios stay meaningful even when the absolute numbers do not.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

export const REPO = path.resolve(import.meta.dirname, '..');

export interface CliOptions {
    /** The `bin/kmflow` measured (`--kmflow=PATH`); default this repository's. */
    kmflow: string;
    /** Another build measured beside it (`--compare=PATH`, e.g. a worktree at a baseline commit). */
    compare?: string;
    runs: number;
    json: boolean;
}

export function cliOptions(defaultRuns: number): CliOptions {
    const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
    const bin = (p: string): string => path.resolve(fs.statSync(p).isDirectory() ? path.join(p, 'bin/kmflow') : p);
    const compare = arg('compare');
    return {
        kmflow: bin(arg('kmflow') ?? REPO),
        compare: compare ? bin(compare) : undefined,
        runs: Number(arg('runs') ?? defaultRuns),
        json: process.argv.includes('--json'),
    };
}

export function tempDir(prefix: string): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** CPU ms of the waited-for children of this process (Linux), else undefined. */
export function childrenCpuMs(): number | undefined {
    try {
        const stat = fs.readFileSync('/proc/self/stat', 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        // After the command name: field 16 (cutime) and 17 (cstime) are the 14th and 15th here.
        return (Number(fields[13]) + Number(fields[14])) * 10; // USER_HZ is 100 on Linux
    } catch {
        return undefined;
    }
}

export interface Sample {
    wallMs: number;
    cpuMs?: number;
    status: number | null;
}

/** Runs `node ARGS` to its end with no output kept. */
export function timeNode(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Sample {
    const cpu0 = childrenCpuMs();
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd, stdio: 'ignore', env: { ...process.env, ...env } });
    const wallMs = performance.now() - t0;
    const cpu1 = childrenCpuMs();
    return { wallMs, cpuMs: cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined, status: r.status };
}

/** `kmflow mcp` from spawn to its answer to `initialize` on stdout (then it is stopped). */
export function timeMcpInitialize(kmflow: string, cwd: string): Promise<Sample> {
    return new Promise((resolve, reject) => {
        const t0 = performance.now();
        const child = spawn(process.execPath, [kmflow, 'mcp', '--root', cwd], { cwd, stdio: ['pipe', 'pipe', 'ignore'] });
        let out = '';
        const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('kmflow mcp did not answer initialize')); }, 30_000);
        child.stdout.on('data', (d: Buffer) => {
            out += d.toString();
            if (out.includes('"id":1')) {
                const wallMs = performance.now() - t0;
                clearTimeout(timer);
                child.kill();
                child.once('close', () => resolve({ wallMs, status: 0 }));
            }
        });
        child.on('error', reject);
        child.stdin.write(`${JSON.stringify({
            jsonrpc: '2.0', id: 1, method: 'initialize',
            params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '0' } },
        })}\n`);
    });
}

const PROBE = `data:text/javascript,${encodeURIComponent(
    "import { writeFileSync } from 'node:fs'; process.on('exit', () => writeFileSync(process.env.KMFLOW_BENCH_RSS, String(process.resourceUsage().maxRSS)));",
)}`;

/** Peak resident set (MB) of `node ARGS`, read by an `--import` probe at exit. */
export function peakRssMb(args: string[], cwd: string): { mb: number; sample: Sample } {
    const file = path.join(tempDir('kmflow-rss-'), 'rss');
    const sample = timeNode(['--import', PROBE, ...args], cwd, { KMFLOW_BENCH_RSS: file });
    const kb = Number(fs.readFileSync(file, 'utf8'));
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    return { mb: kb / 1024, sample };
}

export function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function mean(xs: number[]): number {
    return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
}

/** Runs every case once per round, `runs` rounds, and keeps each case's samples. */
export async function rounds(cases: Record<string, () => Sample | Promise<Sample>>, runs: number): Promise<Record<string, Sample[]>> {
    const samples: Record<string, Sample[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
    for (let r = 0; r < runs; r++) {
        for (const [name, run] of Object.entries(cases)) {
            const s = await run();
            if (s.status !== 0) {
                throw new Error(`${name} exited ${s.status}`);
            }
            samples[name]!.push(s);
        }
    }
    return samples;
}

export interface Row {
    name: string;
    /** Median wall ms. */
    wallMs: number;
    /** Mean CPU ms (user + system), when known. */
    cpuMs?: number;
    /** Wall ÷ the baseline's wall. */
    ratio: number;
    /** The bound it is held to, as a ratio (or an absolute, in `note`). */
    target?: number;
    note?: string;
}

export function summarize(name: string, samples: Sample[], baselineMs: number, target?: number, note?: string): Row {
    const wallMs = median(samples.map((s) => s.wallMs));
    const cpus = samples.map((s) => s.cpuMs).filter((c): c is number => c !== undefined);
    return { name, wallMs, cpuMs: cpus.length ? mean(cpus) : undefined, ratio: wallMs / baselineMs, target, note };
}

export function printRows(title: string, rows: Row[]): void {
    console.log(`\n${title}`);
    const width = Math.max(...rows.map((r) => r.name.length));
    console.log(`  ${'case'.padEnd(width)}  ${'wall ms'.padStart(8)}  ${'cpu ms'.padStart(7)}  ${'× base'.padStart(7)}  target`);
    for (const r of rows) {
        const target = r.target !== undefined ? `≤ ${r.target}× ${r.ratio <= r.target ? 'ok' : 'OVER'}` : '';
        console.log(`  ${r.name.padEnd(width)}  ${r.wallMs.toFixed(0).padStart(8)}  ${(r.cpuMs?.toFixed(0) ?? '-').padStart(7)}  ` +
            `${r.ratio.toFixed(2).padStart(7)}  ${target}${r.note ? ` ${r.note}` : ''}`);
    }
}
