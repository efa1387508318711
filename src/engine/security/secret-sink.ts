/**
 * The run's one redacting sink: everything a run shows or persists passes through it
 * (events, the report, the journal, the cache's writes; the history and the VS Code
 * views are made from those). It masks every secret value and its derived forms
 * (`redaction.ts`), and it hides the whole output of a step computed from a secret
 * (`taint.ts`) unless the step says `public`.
 */
import { MASK, Redactor } from './redaction.js';
import type { StepState } from '../run/run-state.js';
import type { RunEvent } from '../run/run-types.js';

export class SecretSink extends Redactor {
    constructor(
        values: Iterable<string>,
        /** Inputs declared `secret`: shown and journaled as `***` whatever their value. */
        private readonly secretInputs: ReadonlySet<string> = new Set(),
    ) {
        super(values);
    }

    /** What to show or persist of a step's output: `***` when computed from a secret (and not `public`), else masked; no output stays null. */
    output(step: Pick<StepState, 'secret' | 'spec' | 'output'>): unknown {
        if (step.secret && step.spec.public !== true && step.output !== null && step.output !== undefined) {
            return MASK;
        }
        return this.value(step.output ?? null);
    }

    /** Inputs as shown or journaled: secret inputs as `***`, the others masked. */
    inputs(inputs: Readonly<Record<string, unknown>>): Record<string, unknown> {
        const out: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(inputs)) {
            out[name] = this.secretInputs.has(name) ? MASK : this.value(value);
        }
        return out;
    }

    /**
     * An event as listeners get it: free text (log and progress messages, errors)
     * masked. `run-finished` carries the report, built through this sink already.
     */
    event(event: RunEvent): RunEvent {
        if (!this.active) {
            return event;
        }
        switch (event.type) {
            case 'log':
                return { ...event, message: this.text(event.message) };
            case 'step-progress':
                return event.message === undefined ? event : { ...event, message: this.text(event.message) };
            case 'step-retrying':
            case 'step-finished':
                return event.error === undefined ? event : { ...event, error: this.value(event.error) };
            default:
                return event;
        }
    }
}
