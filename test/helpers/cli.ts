/** Runs the built `bin/kmflow` as a user would, capturing output and exit code. */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

export const KMFLOW = path.resolve(import.meta.dirname, '../../bin/kmflow');

export interface CliResult {
    code: number | null;
    stdout: string;
    stderr: string;
}

export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): Promise<CliResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [KMFLOW, ...args], {
            cwd: options.cwd,
            env: { ...process.env, ...options.env },
            stdio: ['pipe', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
        child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
        const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`kmflow ${args.join(' ')} timed out`)); },
            options.timeoutMs ?? 60_000);
        child.on('error', reject);
        child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
        child.stdin.end(options.input ?? '');
    });
}
