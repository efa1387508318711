/** One line of the output channel per run event (secrets are masked by the engine). */
import type { RunEvent } from '../../shared/run-report.js';
import { formatDuration } from './format.js';

function time(at: number): string {
    return new Date(at).toISOString().slice(11, 23);
}

/** The log line of an event, or undefined for events not worth a line (progress). */
export function logLine(event: RunEvent): string | undefined {
    const t = time(event.at);
    switch (event.type) {
        case 'run-started':
            return `[${t}] run ${event.runId}: workflow ${event.workflow}, ${event.steps} steps`;
        case 'step-started':
            return `[${t}] ▶ ${event.stepId} (${event.tool}${event.items !== undefined ? `, ${event.items} items` : ''})`;
        case 'step-retrying':
            return `[${t}] ↻ ${event.stepId} attempt ${event.attempt} failed (${event.error.code}: ${event.error.message}); retrying in ${formatDuration(event.delayMs)}`;
        case 'step-progress':
            return event.message ? `[${t}]   ${event.stepId}: ${event.message}` : undefined;
        case 'step-finished':
            return `[${t}] ${event.status === 'succeeded' ? '✓' : event.status === 'failed' ? '✗' : '·'} ${event.stepId} ${event.status} in ${formatDuration(event.durationMs)}`
                + `${event.attempts > 1 ? ` after ${event.attempts} attempts` : ''}${event.error ? ` — ${event.error.code}: ${event.error.message}` : ''}`;
        case 'log':
            return `[${t}] ${event.level === 'info' ? '' : `${event.level.toUpperCase()} `}${event.stepId ? `${event.stepId}: ` : ''}${event.message}`;
        case 'run-finished':
            return `[${t}] run ${event.runId} ${event.status} in ${formatDuration(event.durationMs)}`
                + ` (health ${event.report.metrics.healthScore}, critical path ${formatDuration(event.report.criticalPathMs)})`;
    }
}
