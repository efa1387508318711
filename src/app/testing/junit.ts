/**
 * JUnit XML of a test run (`kmflow test --junit FILE`), the dialect CI systems read
 * (Jenkins, GitLab, GitHub's test reporters): one `<testsuite>` per test file, one
 * `<testcase>` per test (`classname` the file, `name` the test), a `<failure>` per
 * failed test carrying every failure with its place. `time` is the real time in seconds.
 */
import { show } from './expectations.js';
import type { TestResult, TestRunSummary } from './test-types.js';

export function junitXml(summary: TestRunSummary): string {
    const byFile = new Map<string, TestResult[]>();
    for (const result of summary.results) {
        byFile.set(result.file, [...(byFile.get(result.file) ?? []), result]);
    }
    const lines = ['<?xml version="1.0" encoding="UTF-8"?>',
        `<testsuites name="kmflow test" tests="${summary.results.length}" failures="${summary.failed}" errors="0" time="${seconds(summary.wallMs)}">`];
    for (const [file, results] of byFile) {
        const failures = results.filter((r) => r.status === 'failed').length;
        const time = results.reduce((sum, r) => sum + r.wallMs, 0);
        lines.push(`  <testsuite name="${xml(file)}" tests="${results.length}" failures="${failures}" errors="0" skipped="0" time="${seconds(time)}">`);
        for (const r of results) {
            const open = `    <testcase classname="${xml(file)}" name="${xml(r.name)}" file="${xml(file)}" line="${r.line}" time="${seconds(r.wallMs)}"`;
            if (r.status === 'passed') {
                lines.push(`${open}/>`);
                continue;
            }
            const first = r.failures[0];
            const text = r.failures.map((f) => `${f.file}:${f.line}:${f.column}: ${f.message}` +
                (f.kind === 'expect' ? `\n  expected: ${show(f.expected)}\n  actual:   ${show(f.actual)}` : '')).join('\n');
            lines.push(`${open}>`,
                `      <failure type="${xml(first?.kind ?? 'failure')}" message="${xml(first?.message.split('\n')[0] ?? 'failed')}">${xml(text)}</failure>`,
                '    </testcase>');
        }
        lines.push('  </testsuite>');
    }
    lines.push('</testsuites>', '');
    return lines.join('\n');
}

function seconds(ms: number): string {
    return (ms / 1000).toFixed(3);
}

/** Text safe in XML content and attributes; characters XML 1.0 cannot hold are dropped. */
export function xml(text: string): string {
    return text
        .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/'/g, '&apos;');
}
