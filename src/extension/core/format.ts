/** Small display helpers shared by the tree, the lenses, the log and the markdown views. */
import type { RunStatus, StepStatus } from '../../engine/run-types.js';

/** `850 ms`, `1.2 s`, `3 m 05 s`. */
export function formatDuration(ms: number): string {
    if (!Number.isFinite(ms) || ms < 0) {
        return '—';
    }
    if (ms < 1000) {
        return `${Math.round(ms)} ms`;
    }
    if (ms < 60_000) {
        return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
    }
    const m = Math.floor(ms / 60_000);
    const s = Math.round((ms % 60_000) / 1000);
    return `${m} m ${String(s).padStart(2, '0')} s`;
}

/** A codicon id per status (`$(pass)` in lens titles, ThemeIcon ids in the tree). */
export function statusIcon(status: RunStatus | StepStatus | 'running'): string {
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
    }
}

/** The theme colour id that goes with a status icon. */
export function statusColor(status: RunStatus | StepStatus | 'running'): string | undefined {
    switch (status) {
        case 'succeeded':
            return 'testing.iconPassed';
        case 'failed':
            return 'testing.iconFailed';
        case 'partial':
        case 'rolled_back':
        case 'compensated':
            return 'list.warningForeground';
        case 'cancelled':
        case 'skipped':
            return 'disabledForeground';
        default:
            return undefined;
    }
}
