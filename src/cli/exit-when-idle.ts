/**
 * A one-shot command (`run`, `check`, `plan`...) ends when its work is done. With nothing
 * left but its output's own handles (a terminal, a pipe), it exits at once: the event loop
 * would end too, but Node then waits for V8's background work before it lets the process
 * go, such as the marking and sweeping of a collection that loading a big file started,
 * 28 ms of nothing after a 10,000-step `kmflow check` (a median 1.10 s became 1.06 s).
 * Should anything else still hold the loop (a process or socket a tool left behind, a
 * write not yet done), the loop is let run: if it is still busy after a while, kmflow says
 * what and exits rather than hang after its report. Output still being written is let
 * through first. The servers (`lsp`, `mcp`) never get here.
 */

/** How long the loop may stay busy after the command's end before kmflow exits anyway. */
const LINGER_MS = 1000;

/** What the process's own output shows as among the loop's resources. */
const OUTPUT_HANDLES = new Set(['TTYWrap', 'PipeWrap']);

/** Whether the output is written and nothing but its handles is active. */
export function nothingPending(resources: readonly string[] = process.getActiveResourcesInfo()): boolean {
    return process.stdout.writableLength === 0 && process.stderr.writableLength === 0
        && resources.every((r) => OUTPUT_HANDLES.has(r));
}

export function exitWhenIdle(command: string, code: number): void {
    if (nothingPending()) {
        process.exit(code);
    }
    const timer = setTimeout(() => {
        if (process.stdout.writableLength > 0 || process.stderr.writableLength > 0) {
            timer.refresh(); // a slow reader of our output: wait for it
            return;
        }
        const held = process.getActiveResourcesInfo().filter((r) => r !== 'Timeout' && r !== 'TTYWrap');
        process.stderr.write(`kmflow ${command}: warning: exiting with work still pending after the command ended (${held.join(', ') || 'unknown'})\n`);
        process.exit(code);
    }, LINGER_MS);
    // Fires only if something else keeps the process alive that long.
    timer.unref();
}
