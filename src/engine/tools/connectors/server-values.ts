/**
 * `${secret.NAME}` and `${env.NAME}` in a server's `args`, `env`, `headers`, `url` and
 * `cwd`, resolved when the connection opens (never earlier: secrets are provided at run
 * time). `$${` stands for a literal `${`. A reference to a secret or variable that is
 * not set fails the start with a message naming it, instead of sending a literal
 * `${...}` or dropping the entry.
 */
import type { ServerSpec } from '../../model/model.js';
import { lookupSecret } from '../../security/secret-values.js';
import { ToolError } from '../tool-error.js';

type Values = Readonly<Record<string, string | undefined>>;

/** Where a server's placeholders read from. */
export interface ServerValues {
    /** `${env.NAME}`, and `${secret.NAME}` after `secrets`. */
    env: Values;
    /** `${secret.NAME}` first. */
    secrets?: Values;
}

/** A spec with every placeholder replaced, and the secret values it now holds (to mask). */
export interface ResolvedServer {
    spec: ServerSpec;
    secrets: string[];
}

const PLACEHOLDER = /\$\$\{|\$\{\s*(?:(secret|env)\.([A-Za-z_][A-Za-z0-9_]*)\s*)?([^}]*)\}/g;

/** Calls `visit` with each placeholder of `text`: its root and name, or the raw text of one that is neither. */
function forEachPlaceholder(text: string, visit: (root: 'secret' | 'env' | undefined, name: string) => string): string {
    if (!text.includes('${')) {
        return text;
    }
    return text.replace(PLACEHOLDER, (match, root: string | undefined, name: string | undefined, rest: string) => {
        if (match === '$${') {
            return '${';
        }
        return root !== undefined && rest === '' ? visit(root as 'secret' | 'env', name!) : visit(undefined, match);
    });
}

/** The strings of a spec that may hold placeholders, by where they sit (for messages). */
function placeholderStrings(spec: ServerSpec): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    spec.args?.forEach((a, i) => out.push([`args[${i}]`, a]));
    for (const [k, v] of Object.entries(spec.env ?? {})) {
        out.push([`env.${k}`, v]);
    }
    for (const [k, v] of Object.entries(spec.headers ?? {})) {
        out.push([`headers.${k}`, v]);
    }
    if (spec.url !== undefined) {
        out.push(['url', spec.url]);
    }
    if (spec.cwd !== undefined) {
        out.push(['cwd', spec.cwd]);
    }
    return out;
}

/** Names of the secrets a spec's strings read (`${secret.NAME}`). */
export function serverSecretNames(specs: readonly ServerSpec[]): Set<string> {
    const names = new Set<string>();
    for (const spec of specs) {
        for (const [, text] of placeholderStrings(spec)) {
            forEachPlaceholder(text, (root, name) => {
                if (root === 'secret') {
                    names.add(name);
                }
                return '';
            });
        }
    }
    return names;
}

/** The spec with its placeholders resolved; throws a `server-unavailable` ToolError naming what is missing. */
export function resolveServerSpec(spec: ServerSpec, values: ServerValues): ResolvedServer {
    const secrets: string[] = [];
    const problems: string[] = [];
    const resolve = (where: string, text: string): string => forEachPlaceholder(text, (root, name) => {
        if (root === undefined) {
            problems.push(`${where}: '${name}' is neither \${secret.NAME} nor \${env.NAME} (write $\${ for a literal \${)`);
            return '';
        }
        const value = root === 'secret' ? lookupSecret(name, values.secrets, values.env) : values.env[name];
        if (value === undefined) {
            problems.push(root === 'secret'
                ? `${where}: secret '${name}' is not set (set the environment variable ${name}, or store it with KM Flow: Set Secret)`
                : `${where}: environment variable '${name}' is not set${Object.prototype.hasOwnProperty.call(values.env, name) ? '' : ' (or not granted to this run)'}`);
            return '';
        }
        if (root === 'secret' && value !== '') {
            secrets.push(value);
        }
        return value;
    });
    const record = (r: Record<string, string> | undefined, where: string): Record<string, string> | undefined =>
        r && Object.fromEntries(Object.entries(r).map(([k, v]) => [k, resolve(`${where}.${k}`, v)]));
    const resolved: ServerSpec = {
        ...spec,
        ...(spec.args && { args: spec.args.map((a, i) => resolve(`args[${i}]`, a)) }),
        ...(spec.env && { env: record(spec.env, 'env') }),
        ...(spec.headers && { headers: record(spec.headers, 'headers') }),
        ...(spec.url !== undefined && { url: resolve('url', spec.url) }),
        ...(spec.cwd !== undefined && { cwd: resolve('cwd', spec.cwd) }),
    };
    if (problems.length > 0) {
        throw new ToolError('server-unavailable', `MCP server '${spec.name}' cannot start: ${problems.join('; ')}`, { retryable: false });
    }
    return { spec: resolved, secrets };
}

