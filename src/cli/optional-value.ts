/**
 * Options whose value may be left out (`kmflow run FILE --record` or `--record NAME`):
 * node's parseArgs wants a value for a string option, so a bare one is given the empty
 * value (`--record=`), which the command reads as "the default". The word after it is its
 * value unless it is an option or a `.kmflow` file (`kmflow run --record flow.kmflow`).
 */
export function withOptionalValues(args: readonly string[], names: readonly string[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < args.length; i++) {
        const arg = args[i]!;
        if (arg === '--') {
            out.push(...args.slice(i));
            break;
        }
        const next = args[i + 1];
        const bare = names.some((n) => arg === `--${n}`);
        if (bare && (next === undefined || next.startsWith('-') || next.endsWith('.kmflow'))) {
            out.push(`${arg}=`);
        } else {
            out.push(arg);
        }
    }
    return out;
}
