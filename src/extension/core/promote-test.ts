/**
 * "Promote this Run to a Test": a finished run written as a `test` block of its
 * workflow. The run's inputs (from its journal) become `input` lines; each step that
 * called a tool becomes a `given` line making it end as it did (`given STEP returns
 * OUTPUT`, `given STEP fails "CODE" "MESSAGE"`), except the built-ins that only compute,
 * which a test runs for real; each step's status and the run's become `expect` lines.
 * The inputs and outputs are the journal's and the report's, where the engine already
 * masked every secret (`***`): a promoted test never holds one. A secret input is
 * written as a placeholder with a comment saying so.
 */
import { kmflowString, kmflowValue, stubLine } from '../../shared/kmflow-value.js';
import type { RunReport } from '../../shared/run-report.js';

/** Built-ins a test runs for real (docs/language.md, Tests): never stubbed. */
const COMPUTING = new Set(['log', 'delay', 'template', 'json.query', 'assert']);
/** Statuses of a step that ran to an end a stub can reproduce. */
const ENDED = new Set(['succeeded', 'failed', 'compensated']);
/** How the engine writes a secret value (engine/security/redaction.ts). */
const MASK = '***';
/** What a secret input is given in a promoted test instead of its value. */
export const SECRET_PLACEHOLDER = 'secret-placeholder';

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The test block (with a leading blank line) that replays `report` with stubs and checks
 * it ends the same. `inputs` are the run's (`readRunInputs`); undefined when they could
 * not be read, and then a comment says to add them.
 */
export function promotedTest(report: RunReport, title = `${report.workflow} as run ${report.runId}`,
    inputs?: Readonly<Record<string, unknown>>): string {
    const lines = [`test ${kmflowString(title)} for ${report.workflow} {`];
    if (inputs) {
        lines.push(...Object.entries(inputs).map(([name, value]) => `    ${inputLine(name, value)}`));
    } else {
        lines.push('    // Promoted from a run whose inputs were not journaled: inputs without a default need `input NAME = …` lines.');
    }
    for (const step of report.steps) {
        if (ENDED.has(step.status) && step.attempts > 0 && !COMPUTING.has(step.tool)) {
            lines.push(`    ${stubLine({ id: step.id, status: step.status === 'failed' ? 'failed' : 'succeeded', output: step.output, error: step.error })}`);
        }
    }
    for (const step of report.steps) {
        if (ENDED.has(step.status) || step.status === 'skipped') {
            lines.push(`    expect ${step.id}.status == ${kmflowString(step.status)}`);
        }
    }
    lines.push(`    expect run.status == ${kmflowString(report.status)}`, '}');
    return `\n${lines.join('\n')}\n`;
}

/** `input NAME = VALUE`; a secret input (`***` whole) as a placeholder, a value with a secret masked inside it as masked, each saying so. */
export function inputLine(name: string, value: unknown): string {
    const key = PLAIN_NAME.test(name) ? name : kmflowString(name);
    if (value === MASK) {
        return `input ${key} = ${kmflowString(SECRET_PLACEHOLDER)} // secret: the run's value is never written; put one here if the test needs it`;
    }
    const written = kmflowValue(value);
    const line = `input ${key} = ${written}`;
    return written.includes(MASK) ? `${line} // a secret inside it is masked (***), as in the report` : line;
}
