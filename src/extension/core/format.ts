/** Small display helpers shared by the tree, the lenses, the log and the markdown views. */
import type { RunStatus, StepStatus } from '../../shared/run-report.js';
import { localTime } from '../../shared/local-time.js';

/** Durations read as everywhere else in kmflow (src/shared/duration-format.ts). */
export { formatDuration } from '../../shared/duration-format.js';
export { localTime } from '../../shared/local-time.js';

/**
 * What a row shows: a run's or a step's final status, or a live step's state
 * (`queued`: waiting for its dependencies or a slot; `retrying`: an attempt failed, another follows;
 * `paused`: a debug run stopped before it).
 */
export type DisplayStatus = RunStatus | StepStatus | 'running' | 'queued' | 'retrying' | 'paused';

/** How long ago, from `now`: `just now`, `4 min ago`, `3 h ago`, `2 d ago`, else the local date. */
export function relativeTime(iso: string | null | undefined, now = Date.now()): string {
    const t = iso ? Date.parse(iso) : Number.NaN;
    if (Number.isNaN(t)) {
        return iso ?? '';
    }
    const s = Math.max(0, (now - t) / 1000);
    if (s < 45) {
        return 'just now';
    }
    if (s < 3600) {
        return `${Math.max(1, Math.round(s / 60))} min ago`;
    }
    if (s < 86_400) {
        return `${Math.floor(s / 3600)} h ago`;
    }
    if (s < 7 * 86_400) {
        return `${Math.floor(s / 86_400)} d ago`;
    }
    return localTime(iso).slice(0, 10);
}

/** A codicon id per status (`$(pass)` in lens titles, ThemeIcon ids in the tree). */
export function statusIcon(status: DisplayStatus): string {
    switch (status) {
        case 'succeeded':
            return 'pass';
        case 'failed':
            return 'error';
        case 'partial':
            return 'warning';
        case 'cancelled':
            return 'circle-slash';
        case 'skipped':
            return 'debug-step-over';
        case 'rolled_back':
        case 'compensated':
            return 'discard';
        case 'running':
            return 'loading~spin';
        case 'queued':
            return 'circle-outline';
        case 'retrying':
            return 'sync~spin';
        case 'paused':
            return 'debug-pause';
    }
}

/** The theme colour id that goes with a status icon. */
export function statusColor(status: DisplayStatus): string | undefined {
    switch (status) {
        case 'succeeded':
            return 'testing.iconPassed';
        case 'failed':
            return 'testing.iconFailed';
        case 'partial':
        case 'rolled_back':
        case 'compensated':
        case 'retrying':
        case 'paused':
            return 'list.warningForeground';
        case 'cancelled':
        case 'skipped':
        case 'queued':
            return 'disabledForeground';
        default:
            return undefined;
    }
}
