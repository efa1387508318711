/**
 * The environment of a process a run starts (`shell`, a stdio MCP server): a minimal
 * safe set inherited from the host, as the MCP SDK's `getDefaultEnvironment` (the same
 * names), plus the temp folder and locale many programs need, plus what the step or
 * the server declares. Never the whole host environment: tokens and secrets in it stay
 * out unless the workflow passes them on purpose.
 */

/** What the MCP SDK's `getDefaultEnvironment` inherits, per platform. */
const DEFAULT_INHERITED = process.platform === 'win32'
    ? ['APPDATA', 'HOMEDRIVE', 'HOMEPATH', 'LOCALAPPDATA', 'PATH', 'PROCESSOR_ARCHITECTURE', 'SYSTEMDRIVE', 'SYSTEMROOT', 'TEMP', 'USERNAME', 'USERPROFILE', 'PROGRAMFILES']
    : ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'TERM', 'USER'];

/** Besides those: the temp folder and the locale. */
const EXTRA_INHERITED = ['TMPDIR', 'TMP', 'TEMP', 'LANG', 'LC_ALL', 'LC_CTYPE'];

/** Names a started process inherits from the host. */
export const INHERITED_ENV: readonly string[] = [...new Set([...DEFAULT_INHERITED, ...EXTRA_INHERITED])];

/** The minimal inherited environment, with `declared` over it. */
export function minimalEnvironment(declared?: Readonly<Record<string, string>>, host: NodeJS.ProcessEnv = process.env): Record<string, string> {
    const env: Record<string, string> = {};
    for (const key of INHERITED_ENV) {
        const value = host[key];
        // Values starting with `()` are exported shell functions: a known attack vector.
        if (value !== undefined && !value.startsWith('()')) {
            env[key] = value;
        }
    }
    return { ...env, ...declared };
}
