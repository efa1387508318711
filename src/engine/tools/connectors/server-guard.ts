/**
 * What stands between a server declaration and its start: the Trust it needs (spawn for
 * stdio, network for HTTP, outside the root for a `cwd` there), its `${secret.X}` /
 * `${env.X}` resolved once (`server-values.ts`), and the mask of those secrets that every
 * error the connection raises passes.
 */
import * as path from 'node:path';
import { inside } from '../builtins/confine.js';
import type { ServerSpec } from '../../model/model.js';
import { Redactor } from '../../security/redaction.js';
import { ToolError, toToolError } from '../tool-error.js';
import { allows, deniedError, grantedEnv, type Trust } from '../../security/trust.js';
import { expandHome } from './mcp-transport.js';
import { resolveServerSpec, type ResolvedServer } from './server-values.js';

/** What the guard reads from the connection's options. */
export interface GuardOptions {
    root?: string;
    trust?: Trust;
    secrets?: Readonly<Record<string, string | undefined>>;
    env?: Readonly<Record<string, string | undefined>>;
}

export class ServerGuard {
    private resolved: ResolvedServer | undefined = undefined;
    private mask = new Redactor([]);

    constructor(
        private readonly spec: ServerSpec,
        private readonly options: GuardOptions,
    ) {}

    /**
     * Why `trust` may not open this server, or undefined. The run asks before each call
     * with its own Trust; the connection asks with its own before starting.
     */
    trustProblem(trust: Trust | undefined): ToolError | undefined {
        const who = `MCP server '${this.spec.name}'`;
        if (this.spec.command !== undefined && !allows(trust, 'spawn')) {
            return deniedError(trust, 'spawn', who);
        }
        if (this.spec.command === undefined && this.spec.url !== undefined && !allows(trust, 'network')) {
            return deniedError(trust, 'network', who);
        }
        if (this.spec.command !== undefined && this.spec.cwd !== undefined && !allows(trust, 'outsideRoot')) {
            const root = path.resolve(this.options.root ?? process.cwd());
            let cwd: string;
            try {
                cwd = path.resolve(root, expandHome(this.resolve().cwd!));
            } catch {
                return undefined; // the start reports the missing value
            }
            if (!inside(root, cwd)) {
                return deniedError(trust, 'outsideRoot', `${who} (cwd ${this.mask.text(cwd)})`);
            }
        }
        return undefined;
    }

    /** The spec with `${secret.X}` / `${env.X}` resolved (once); throws naming what is missing. */
    resolve(): ServerSpec {
        if (!this.resolved) {
            const options = this.options;
            const env = options.env ?? (options.trust ? grantedEnv(options.trust) : process.env);
            this.resolved = resolveServerSpec(this.spec, { env, secrets: options.secrets });
            this.mask = new Redactor(this.resolved.secrets);
        }
        return this.resolved.spec;
    }

    /** Text with this server's secrets masked. */
    text(text: string): string {
        return this.mask.text(text);
    }

    /** `err` as a ToolError with this server's secrets masked. */
    error(err: unknown): ToolError {
        const error = toToolError(err);
        if (!this.mask.active) {
            return error;
        }
        return new ToolError(error.code, this.mask.text(error.message), {
            retryable: error.retryableMarked ? error.retryable : undefined,
            ...(error.advice !== undefined && { advice: this.mask.text(error.advice) }),
            ...(error.details !== undefined && { details: this.mask.value(error.details) }),
        });
    }
}
