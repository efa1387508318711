/**
 * ISO times of epoch milliseconds through a small direct-mapped cache (one slot per
 * millisecond modulo `slots`): a fast run has thousands of steps starting and ending
 * within the same few milliseconds, and formatting dominated building its report and
 * journal. (A Map keyed by epoch milliseconds was slower: numbers that large are not small
 * integers, so every lookup hashed a heap number; a one-entry cache missed on every
 * start/end alternation.) `new Date` drops the fraction of a millisecond, as here.
 */
export function isoTimeCache(slots = 256): (ms: number) => string {
    const mask = slots - 1;
    const keys = new Float64Array(slots).fill(-1);
    const texts = new Array<string>(slots).fill('');
    return (ms) => {
        const whole = Math.floor(ms);
        const slot = whole & mask;
        if (keys[slot] !== whole) {
            keys[slot] = whole;
            texts[slot] = new Date(whole).toISOString();
        }
        return texts[slot]!;
    };
}
