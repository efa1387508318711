/**
 * `shell {command, args, cwd, env, stdin, allow_failure}` -> {exitCode, stdout, stderr}.
 *
 * - With `args`, `command` is the executable and runs directly (no shell parsing).
 *   Without `args`, `command` is a shell command line run by `/bin/sh -c` (`cmd.exe /c`
 *   on Windows), as in a Makefile or a CI `run:`.
 * - Refused (code `denied`) unless the run's Trust grants `shell` (`--allow-exec`,
 *   VS Code trust).
 * - The child gets a minimal environment (`minimal-env.ts`: PATH, HOME, LANG, TMPDIR...)
 *   plus the step's `env`, never the whole host environment.
 * - The child gets its own process group; on abort (timeout, cancel) the whole group
 *   gets SIGTERM, then SIGKILL after a grace period, so `sh -c "sleep 100"` leaves no
 *   `sleep` behind. Our ends of its pipes are closed too: a grandchild that left the
 *   group (`setsid`) and still holds them must not keep kmflow alive after the run.
 * - A non-zero exit fails the step with code `exit` unless `allow_failure` is true.
 */
import type { BuiltinTool } from './builtin-tool.js';
import { confinedPath } from './confine.js';
import { minimalEnvironment } from '../minimal-env.js';
import { ToolError } from '../tool-error.js';
import { requireCapability } from '../../security/trust.js';

/** Output beyond this many bytes per stream is dropped (and marked) to bound memory. */
const MAX_OUTPUT = 8 * 1024 * 1024;
const KILL_GRACE_MS = 2000;

function collector(): { push(chunk: Buffer): void; text(): string } {
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    return {
        push(chunk) {
            if (size >= MAX_OUTPUT) {
                truncated = true;
                return;
            }
            chunks.push(chunk);
            size += chunk.length;
        },
        text() {
            return Buffer.concat(chunks).toString('utf8') + (truncated ? '\n[output truncated]' : '');
        },
    };
}

export const shellTool: BuiltinTool = {
    id: 'shell',
    title: 'Run a command',
    category: 'foundation',
    capabilities: ['shell', 'command_execution'],
    security: 'high',
    readOnly: false,
    inputSchema: {
        type: 'object',
        properties: {
            command: { type: 'string', minLength: 1, description: 'Executable (with args) or a shell command line (without).' },
            args: { type: 'array', items: { type: 'string' } },
            cwd: { type: 'string', description: 'Working folder inside the workspace root (default: the root).' },
            env: { type: 'object', additionalProperties: { type: 'string' }, description: 'Variables for the command, over a minimal inherited set (PATH, HOME, LANG, TMPDIR...).' },
            stdin: { type: 'string' },
            allow_failure: { type: 'boolean', default: false },
        },
        required: ['command'],
        additionalProperties: false,
    },
    outputSchema: {
        type: 'object',
        properties: { exitCode: { type: ['integer', 'null'] }, stdout: { type: 'string' }, stderr: { type: 'string' } },
    },
    async run(params, ctx) {
        requireCapability(ctx.trust, 'shell', 'shell');
        if (ctx.signal.aborted) {
            throw ctx.signal.reason;
        }
        const cwd = await confinedPath(ctx.root, (params.cwd as string | undefined) ?? '.', 'shell');
        const args = params.args as string[] | undefined;
        const env = minimalEnvironment(params.env as Record<string, string> | undefined);
        const windows = process.platform === 'win32';
        const [file, argv] = args
            ? [params.command as string, args]
            : windows
              ? ['cmd.exe', ['/d', '/s', '/c', params.command as string]]
              : ['/bin/sh', ['-c', params.command as string]];
        // Loaded here, not with the module: most commands never spawn, and loading it costs their start.
        const { spawn } = await import('node:child_process');
        return new Promise((resolve, reject) => {
            const child = spawn(file, argv, { cwd, env, detached: !windows, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
            const stdout = collector();
            const stderr = collector();
            let killTimer: NodeJS.Timeout | undefined;
            const kill = (sig: NodeJS.Signals): void => {
                try {
                    if (!windows && child.pid !== undefined) {
                        process.kill(-child.pid, sig); // the whole process group
                    } else {
                        child.kill(sig);
                    }
                } catch {
                    // Already gone.
                }
            };
            const onAbort = (): void => {
                kill('SIGTERM');
                // The output is not wanted any more; 'close' then waits only for the child.
                for (const stream of [child.stdin, child.stdout, child.stderr]) {
                    stream.destroy();
                }
                killTimer = setTimeout(() => kill('SIGKILL'), KILL_GRACE_MS);
                killTimer.unref();
            };
            ctx.signal.addEventListener('abort', onAbort, { once: true });
            child.stdout.on('data', (c: Buffer) => stdout.push(c));
            child.stderr.on('data', (c: Buffer) => stderr.push(c));
            child.stdin.on('error', () => undefined); // the child may exit without reading
            child.stdin.end((params.stdin as string | undefined) ?? '');
            child.on('error', (err) => {
                ctx.signal.removeEventListener('abort', onAbort);
                reject(new ToolError('exit', `shell: cannot start '${file}': ${err.message}`, { retryable: false, cause: err }));
            });
            child.on('close', (code, signal) => {
                ctx.signal.removeEventListener('abort', onAbort);
                if (ctx.signal.aborted) {
                    // The group may still hold grandchildren that closed our pipes late.
                    kill('SIGKILL');
                    if (killTimer) {
                        clearTimeout(killTimer);
                    }
                    reject(ctx.signal.reason);
                    return;
                }
                const output = { exitCode: code, stdout: stdout.text(), stderr: stderr.text() };
                if (code !== 0 && params.allow_failure !== true) {
                    const why = code === null ? `was killed by ${signal}` : `exited with code ${code}`;
                    const tail = output.stderr.trim().split('\n').slice(-3).join('\n');
                    reject(new ToolError('exit', `shell: '${params.command as string}' ${why}${tail ? `: ${tail}` : ''}`));
                    return;
                }
                resolve({ output });
            });
        });
    },
};
