/**
 * What the operator of `kmflow mcp` grants its callers: one value, made once from the
 * command line and passed down to every call. The face is untrusted by default: a
 * caller's workflow runs no `shell` step, starts no server the root does not declare,
 * reads no host environment variable and no path outside the root, unless granted.
 *
 *   --root DIR             the workspace (default: the current directory)
 *   --allow-exec           `shell` steps may run
 *   --allow-servers A,B    servers named A or B may be started even when a caller declares them
 *   --allow-env X,Y        `env.X` / `secret.X` (and Y) read the host's variable
 */
import { makeTrust, type Trust } from '../engine/security/index.js';

export interface McpGrants {
    /** The workspace: every path a caller gives stays inside it. */
    readonly root: string;
    /** `shell` steps may run. */
    readonly allowExec: boolean;
    /** Server names a caller may declare and have started (stdio or HTTP). */
    readonly allowServers: ReadonlySet<string>;
    /** Host environment variables `env.NAME` and `secret.NAME` may read. */
    readonly allowEnv: ReadonlySet<string>;
}

/** A name of a server or variable: what `--allow-servers` and `--allow-env` take. */
const NAME = /^[A-Za-z_][\w.-]*$/;

/**
 * Names from repeated and comma-separated options (`--allow-env A,B --allow-env C`).
 * Throws one line on a name that is none (`*` included: grants are by name).
 */
export function grantList(option: string, values: string | boolean | string[] | undefined): Set<string> {
    const items = (Array.isArray(values) ? values : typeof values === 'string' ? [values] : [])
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter((v) => v !== '');
    for (const item of items) {
        if (!NAME.test(item)) {
            throw new Error(`--${option} takes names separated by commas, not '${item}'`);
        }
    }
    return new Set(items);
}

/** Grants from parsed command-line options. */
export function grantsFromOptions(root: string, options: Record<string, string | boolean | string[] | undefined>): McpGrants {
    return {
        root,
        allowExec: options['allow-exec'] === true,
        allowServers: grantList('allow-servers', options['allow-servers']),
        allowEnv: grantList('allow-env', options['allow-env']),
    };
}

/** Nothing granted but the root: what tests and embedders start from. */
export function untrusted(root: string): McpGrants {
    return { root, allowExec: false, allowServers: new Set(), allowEnv: new Set() };
}

/** The environment a run of the face sees: the granted variables that are set, nothing else. */
export function grantedEnv(grants: McpGrants, host: NodeJS.ProcessEnv = process.env): Record<string, string> {
    const env: Record<string, string> = {};
    for (const name of grants.allowEnv) {
        const value = host[name];
        if (value !== undefined) {
            env[name] = value;
        }
    }
    return env;
}

/**
 * The engine's Trust for a run of the face. Servers are filtered before the run
 * (run-guard.ts: only the root's own and granted ones are in its pool), so the run
 * may start those; `shell` and host variables are what the grants say.
 */
export function trustOf(grants: McpGrants): Trust {
    return makeTrust({
        shell: grants.allowExec,
        spawn: true,
        network: true,
        outsideRoot: true,
        env: [...grants.allowEnv],
        grant: {
            shell: 'the operator passes --allow-exec to kmflow mcp',
            spawn: 'the operator passes --allow-servers NAME to kmflow mcp',
        },
    });
}

/** One line for the server's log at start: what is granted. */
export function describeGrants(grants: McpGrants): string {
    const list = (s: ReadonlySet<string>): string => (s.size > 0 ? [...s].join(',') : 'none');
    return `root ${grants.root}; exec ${grants.allowExec ? 'allowed' : 'refused'}; servers granted: ${list(grants.allowServers)}; ` +
        `env granted: ${list(grants.allowEnv)}`;
}
