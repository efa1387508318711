/**
 * The variables of a stopped debug run as the Debug Adapter Protocol shows them: two
 * scopes, Parameters (the paused step's, as evaluated) and Outputs (of the finished
 * steps), every object and list expandable. References live until the run goes on.
 */

export interface DapVariable {
    name: string;
    value: string;
    type?: string;
    variablesReference: number;
}

export interface DapScope {
    name: string;
    variablesReference: number;
    expensive: boolean;
}

const PARAMETERS = 1;
const OUTPUTS = 2;
const PREVIEW = 80;

export class VariableStore {
    private values = new Map<number, unknown>();
    private next = 3;

    /** A new stop: these parameters and outputs. */
    reset(params: Record<string, unknown>, outputs: Record<string, unknown>): void {
        this.values = new Map<number, unknown>([[PARAMETERS, params], [OUTPUTS, outputs]]);
        this.next = 3;
    }

    clear(): void {
        this.values.clear();
    }

    scopes(): DapScope[] {
        return [
            { name: 'Parameters', variablesReference: PARAMETERS, expensive: false },
            { name: 'Outputs', variablesReference: OUTPUTS, expensive: false },
        ];
    }

    /** The children of reference `ref`: an object's entries or a list's items. */
    children(ref: number): DapVariable[] {
        const value = this.values.get(ref);
        if (typeof value !== 'object' || value === null) {
            return [];
        }
        const entries: Array<[string, unknown]> = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
        return entries.map(([name, v]) => this.variable(name, v));
    }

    private variable(name: string, value: unknown): DapVariable {
        if (typeof value === 'object' && value !== null) {
            const ref = this.next++;
            this.values.set(ref, value);
            const list = Array.isArray(value);
            return { name, value: preview(value), type: list ? 'list' : 'object', variablesReference: ref };
        }
        return { name, value: value === undefined ? 'undefined' : JSON.stringify(value), type: value === null ? 'null' : typeof value, variablesReference: 0 };
    }
}

/** A value on one line: JSON, cut at PREVIEW characters. */
function preview(value: unknown): string {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > PREVIEW ? `${text.slice(0, PREVIEW - 1)}…` : text;
}
