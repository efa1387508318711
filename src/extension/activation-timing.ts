/**
 * When the extension's activation reached each point, in ms of the extension host's
 * clock: imported first by main.ts, so `loaded` is taken before any other module of the
 * bundle is evaluated (the closest the extension sees to its activation event: VS Code
 * reads and compiles the file between the two). The e2e suite prints these, the `KM Flow`
 * output says them, and docs/vscode-extension.md states the figure (issue 16, item 3).
 */
export interface ActivationTimes {
    /** The bundle started evaluating. */
    loaded: number;
    /** The bundle's modules were all evaluated (VS Code then gets the extension's context ready). */
    evaluated?: number;
    /** `activate` was called. */
    activated?: number;
    /** The language client was started (the server process is being started). */
    clientStarting?: number;
    /** The language server answered `initialize`: the client is running. */
    clientRunning?: number;
}

export const activationTimes: ActivationTimes = { loaded: performance.now() };

/** Milliseconds from the bundle's evaluation to `point`, rounded; undefined until reached. */
export function sinceLoaded(point: number | undefined): number | undefined {
    return point === undefined ? undefined : Math.round(point - activationTimes.loaded);
}
