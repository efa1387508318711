/**
 * "Promote this Run to a Test": a finished run written as a `test` block of its
 * workflow. Each step that called a tool becomes a `given` line making it end as it did
 * (`given STEP returns OUTPUT`, `given STEP fails "CODE" "MESSAGE"`), except the
 * built-ins that only compute, which a test runs for real; each step's status and the
 * run's become `expect` lines. The outputs are the report's, where the engine already
 * masked every secret (`***`): a promoted test never holds one.
 */
import { kmflowString, stubLine } from '../../shared/kmflow-value.js';
import type { RunReport } from '../../shared/run-report.js';

/** Built-ins a test runs for real (docs/language.md, Tests): never stubbed. */
const COMPUTING = new Set(['log', 'delay', 'template', 'json.query', 'assert']);
/** Statuses of a step that ran to an end a stub can reproduce. */
const ENDED = new Set(['succeeded', 'failed', 'compensated']);

/** The test block (with a leading blank line) that replays `report` with stubs and checks it ends the same. */
export function promotedTest(report: RunReport, title = `${report.workflow} as run ${report.runId}`): string {
    const lines = [`test ${kmflowString(title)} for ${report.workflow} {`];
    lines.push('    // Promoted from a run: inputs without a default need `input NAME = …` lines.');
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
