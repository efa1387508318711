/**
 * The size of V8's young generation while `kmflow check` loads and checks its files.
 *
 * V8 starts the young generation (two semi-spaces) at 1 MB each and doubles them, up to
 * 16 MB, while most of what it allocates survives. A parse is that case: nearly all of a
 * big file's tree survives, so a 10,000-step check grew them to 2 × 16 MB. Every page V8
 * takes is memory the process touches for the first time, and on the machines these
 * figures come from a first touch costs 12-17 µs a 4 KB page (measured: 100 MB written
 * once takes 320-430 ms, again 1 ms), more than the collections it saves. Kept at its
 * first size, the young generation is collected more often, each time as cheaply (what
 * survives is copied either way): a 10,000-step `kmflow check` touched 26,400 pages
 * instead of 34,200 and took 1.13 s instead of 1.23 s (medians of 8, alternating).
 *
 * A run is the other case: its steps make many short-lived objects, which a 1 MB young
 * generation promotes before they die. Held at 1 MB, the steps of a 10,000-step run took
 * 25-100% longer (90 -> 115-200 ms), and letting it grow again once the files were loaded
 * did not help: V8 grows it only while most of it survives, which a run's objects do not.
 * A simulation is a run too: `optimize` of a 300-step workflow (hundreds of simulated
 * runs) took 18.6 s held instead of 12.3 s, and so is a layout: `graph --format svg` of
 * 600 steps took 12.9-14.8 s held instead of 8.9-9.4 s. So only `check` holds it (a
 * 50,000-step check: 3.8 s, 86,000 pages, against 4.0 s and 96,000); the others keep
 * V8's default, as the servers (`lsp`, `mcp`) do (launch.ts).
 */
import * as v8 from 'node:v8';

/** The young generation stays at its first size (V8's growth factor is read at each growth). */
export function holdYoungGeneration(): void {
    v8.setFlagsFromString('--semi-space-growth-factor=1');
}
