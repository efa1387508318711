/**
 * What a run may do beyond computing: one `Trust` value, handed explicitly from the
 * front door (CLI, VS Code, the MCP face, a library caller) through `RunOptions.trust`
 * to every ToolContext and every MCP connection. Denied unless granted: a library
 * caller that passes nothing gets `DENIED`.
 *
 * A denied capability fails the step (or the server's start) with code `denied` and a
 * message naming the capability and how to grant it at that front door.
 */
import { ToolError } from '../tools/tool-error.js';

/** One thing a run may be allowed to do. */
export type Capability = 'spawn' | 'shell' | 'network' | 'outsideRoot';

/** The capabilities of a run (or of one MCP connection). */
export interface Trust {
    /** Start processes: stdio MCP servers. */
    readonly spawn: boolean;
    /** Run `shell` steps (the CLI's `--allow-exec`). */
    readonly shell: boolean;
    /** Reach the network: `http.request`, MCP servers over HTTP. */
    readonly network: boolean;
    /**
     * Point outside the workspace root: a stdio server whose `cwd` lies outside it.
     * (File tools never leave the root, whatever the trust.)
     */
    readonly outsideRoot: boolean;
    /**
     * Which host environment variables `env.NAME` (and `secret.NAME`, `${env.NAME}` in a
     * server block) may read when the caller gives no `env` of its own: all of them
     * (`true`), none (`false`), or these names.
     */
    readonly env: boolean | readonly string[];
    /** How to grant each capability at this front door, quoted by a denial. */
    readonly grant?: Readonly<Partial<Record<Capability, string>>>;
}

/** Nothing granted: the default of `RunOptions` and of untrusted front doors. */
export const DENIED: Trust = Object.freeze({ spawn: false, shell: false, network: false, outsideRoot: false, env: false });

/** Everything granted (a trusted VS Code workspace; tests). */
export const TRUSTED: Trust = Object.freeze({ spawn: true, shell: true, network: true, outsideRoot: true, env: true });

/** What each capability lets a run do, for messages. */
const DOES: Record<Capability, string> = {
    spawn: 'start processes',
    shell: 'run shell commands',
    network: 'reach the network',
    outsideRoot: 'use paths outside the workspace root',
};

/** How to grant a capability when the front door says nothing more specific. */
const DEFAULT_GRANT: Record<Capability, string> = {
    spawn: 'trust the workspace (VS Code), pass --allow-servers (kmflow mcp) or grant `spawn` in RunOptions.trust',
    shell: 'pass --allow-exec (kmflow run, kmflow mcp), trust the workspace (VS Code) or grant `shell` in RunOptions.trust',
    network: 'trust the workspace (VS Code) or grant `network` in RunOptions.trust',
    outsideRoot: 'trust the workspace (VS Code) or grant `outsideRoot` in RunOptions.trust',
};

/** A Trust from what is granted; everything else denied. */
export function makeTrust(grants: Partial<Trust>): Trust {
    return Object.freeze({ ...DENIED, ...grants });
}

/** Whether `trust` grants `capability` (no trust at all grants nothing). */
export function allows(trust: Trust | undefined, capability: Capability): boolean {
    return trust?.[capability] === true;
}

/** The `denied` error of a capability `trust` lacks; `who` says what asked (`shell`, `MCP server 'km'`). */
export function deniedError(trust: Trust | undefined, capability: Capability, who: string): ToolError {
    const how = trust?.grant?.[capability] ?? DEFAULT_GRANT[capability];
    return new ToolError('denied', `${who}: denied: this run may not ${DOES[capability]} (capability '${capability}' not granted); to allow it, ${how}`);
}

/** Throws the `denied` ToolError unless `trust` grants `capability`. */
export function requireCapability(trust: Trust | undefined, capability: Capability, who: string): void {
    if (!allows(trust, capability)) {
        throw deniedError(trust, capability, who);
    }
}

/**
 * The host variables `trust` lets a run read, from `host` (default `process.env`):
 * all, none, or the granted names.
 */
export function grantedEnv(trust: Trust | undefined, host: NodeJS.ProcessEnv = process.env): Readonly<Record<string, string | undefined>> {
    const env = trust?.env ?? false;
    if (env === true) {
        return host;
    }
    const out: Record<string, string | undefined> = {};
    if (env !== false) {
        for (const name of env) {
            if (Object.prototype.hasOwnProperty.call(host, name)) {
                out[name] = host[name];
            }
        }
    }
    return out;
}
