/**
 * How the runner schedules tests: many at once (each on its own fake clock, so their order
 * cannot matter), at most `limit` started and not yet ended, and none started once the
 * signal is aborted. A cancelled run of tests thus stops between tests within a file, not
 * only between files; what it never started comes back as not started.
 */

/** How many tests run at once by default: enough to overlap their reads of cassettes and snapshots. */
export const DEFAULT_TEST_CONCURRENCY = 16;

/**
 * `work` over `items`, at most `limit` at once, in item order; an item started after
 * `signal` aborted is not started at all, and its place in the answer is undefined.
 */
export async function pooled<T, R>(items: readonly T[], limit: number, signal: AbortSignal | undefined,
    work: (item: T) => Promise<R>): Promise<Array<R | undefined>> {
    const results: Array<R | undefined> = new Array<R | undefined>(items.length).fill(undefined);
    let next = 0;
    const worker = async (): Promise<void> => {
        while (next < items.length && signal?.aborted !== true) {
            const index = next++;
            results[index] = await work(items[index]!);
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
    return results;
}
