/**
 * A one-shot command (`run`, `check`, `plan`...) ends when its work is done. Should
 * anything still hold the event loop after that (a process or socket a tool left
 * behind), kmflow says what and exits rather than hang after its report. Output still
 * being written is let through first. The servers (`lsp`, `mcp`) never get here.
 */

/** How long the loop may stay busy after the command's end before kmflow exits anyway. */
const LINGER_MS = 1000;

export function exitWhenIdle(command: string, code: number): void {
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
