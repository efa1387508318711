/**
 * `kmflow test [FILE...] [--filter TEXT] [--json] [--junit FILE] [--update-snapshots]`:
 * runs the `test` blocks of FILEs (else of every `.kmflow` file under the root), all at
 * once on fake clocks (src/app/testing), and prints one line per test, each failure with
 * its place, expected and actual, then `N passed, N failed`. Exit 0 when every test
 * passed, 1 when one failed, 2 on bad usage, an unreadable file or check errors.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { formatDuration } from '../../shared/duration-format.js';
import { byPosition, formatDiagnostic } from '../../language/diagnostic-format.js';
import { findTestFiles, junitXml, loadTests, relativeTo, runTests, showValue, type TestFailure, type TestResult, type TestRunSummary } from '../../app/index.js';
import { cliWorkspace } from '../load-one.js';
import type { CommandContext } from '../command-context.js';

export async function testCommand(ctx: CommandContext): Promise<number> {
    const filter = ctx.options.filter;
    const junit = ctx.options.junit;
    if (filter !== undefined && (typeof filter !== 'string' || filter === '')) {
        ctx.fail('--filter takes the text a test\'s name contains (kmflow test --filter retries)');
        return 2;
    }
    if (junit !== undefined && (typeof junit !== 'string' || junit === '')) {
        ctx.fail('--junit takes the file to write the JUnit XML to (kmflow test --junit results.xml)');
        return 2;
    }
    const workspace = cliWorkspace(ctx);
    const display = (file: string): string => relativeTo(process.cwd(), file);
    const files = ctx.positionals.length > 0 ? ctx.positionals.map((f) => path.resolve(f)) : await findTestFiles(workspace);
    const loaded = await loadTests(workspace, files, { filter, display });
    for (const p of loaded.problems) {
        ctx.fail(`${p.file}: ${p.message}`);
    }
    const errors = loaded.errors.sort(byPosition);
    if (!ctx.json) {
        loaded.diagnostics.filter((d) => d.severity === 'warning').sort(byPosition).forEach((d) => ctx.err(formatDiagnostic(d)));
    }
    if (loaded.problems.length > 0 || errors.length > 0) {
        if (ctx.json) {
            ctx.out(JSON.stringify({ diagnostics: errors, ...(loaded.problems.length > 0 && { errors: loaded.problems }) }, null, 2));
        } else {
            errors.forEach((d) => ctx.err(formatDiagnostic(d)));
            if (errors.length > 0) {
                ctx.fail(`${errors.length} error(s) in the test files or the workflows they test; no test ran`);
            }
        }
        return 2;
    }
    if (loaded.tests.length === 0) {
        const where = ctx.positionals.length > 0 ? ctx.positionals.join(', ') : `any .kmflow file under ${display(workspace.root) || '.'}`;
        ctx.err(`no test${filter !== undefined ? ` whose name contains '${filter}'` : ''} in ${where}`);
    }
    const summary = await runTests(workspace, loaded.tests, { updateSnapshots: ctx.options['update-snapshots'] === true, display });
    if (ctx.json) {
        ctx.out(JSON.stringify(summary, null, 2));
    } else {
        summary.results.forEach((r) => printResult(ctx, r));
        for (const file of summary.snapshotFiles) {
            ctx.err(`wrote ${file}`);
        }
        ctx.out(closingLine(summary));
    }
    if (typeof junit === 'string') {
        try {
            await mkdir(path.dirname(path.resolve(junit)), { recursive: true });
            await writeFile(path.resolve(junit), junitXml(summary));
        } catch (err) {
            ctx.fail(`cannot write ${junit}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
            return 2;
        }
    }
    return summary.failed > 0 ? 1 : 0;
}

function printResult(ctx: CommandContext, r: TestResult): void {
    const simulated = r.simulatedMs !== undefined ? `, ${formatDuration(r.simulatedMs)} simulated` : '';
    const snapshot = r.snapshot === 'written' || r.snapshot === 'updated' ? `, snapshot ${r.snapshot}` : '';
    ctx.out(`${r.status === 'passed' ? '✓' : '✗'} ${r.name}  (${r.file}:${r.line}${simulated}${snapshot})`);
    r.failures.forEach((f) => ctx.out(formatFailure(f)));
}

/** A failure under its test: the place and message, then expected and actual. */
function formatFailure(f: TestFailure): string {
    const lines = [`    ${f.file}:${f.line}:${f.column} ${f.message.split('\n').join('\n    ')}`];
    if (f.kind === 'expect') {
        lines.push(`        expected: ${showValue(f.expected)}`, `        actual:   ${showValue(f.actual)}`);
    }
    return lines.join('\n');
}

function closingLine(summary: TestRunSummary): string {
    return `${summary.passed} passed, ${summary.failed} failed`;
}
