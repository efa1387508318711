/**
 * A full garbage collection, asked for where a command has just let go of a lot:
 * - a load, once its documents are parsed (load-one.ts): a command starts with no full
 *   collection due until its heap is past ~500 MB, so a big file's parse garbage would
 *   stay through linking and checking, the command's peak;
 * - `run`, once its workflows are prepared and their documents dropped. V8 sizes its next
 *   full collection by the heap it last found live, so a big file's trees (hundreds of MB
 *   at 50,000 steps) would stay until the run had allocated as much again, and its peak
 *   would be the check's plus the run's. Collected first, the run reuses their room.
 *
 * Node 20 offers no call for it without `--expose-gc`: the flag is set, and `gc` read
 * from a fresh context (the main one was made without it). Only above `MIN_HEAP_BYTES`
 * in use: a small file's collection would cost more than it gives back. (It was 256 MB: once
 * the parser's trees shrank, a 50,000-step run's heap came out at 250-270 MB there, and
 * on the runs below the line its peak went from 360 to 510 MB. A 10,000-step run's is ~80 MB.)
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

const MIN_HEAP_BYTES = 128 * 1024 * 1024;

export function collectGarbage(minHeapBytes = MIN_HEAP_BYTES): boolean {
    if (v8.getHeapStatistics().used_heap_size < minHeapBytes) {
        return false;
    }
    try {
        v8.setFlagsFromString('--expose-gc');
        const gc = vm.runInNewContext('gc') as (() => void) | undefined;
        gc?.();
        return gc !== undefined;
    } catch {
        return false;
    }
}
