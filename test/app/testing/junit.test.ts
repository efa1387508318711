/**
 * `--junit FILE`: JUnit XML that a strict XML parser reads (sax, strict mode), one
 * `<testsuite>` per test file and one `<testcase>` per test with its counts, a
 * `<failure>` carrying every failure with its place, expected and actual, and names
 * holding XML's special characters escaped.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { junitXml } from '../../../src/app/index.js';
import { runFile, tempWorkspace } from './helpers.js';

interface SaxParser {
    onopentag: (tag: { name: string; attributes: Record<string, string> }) => void;
    onclosetag: (name: string) => void;
    ontext: (text: string) => void;
    write(text: string): SaxParser;
    close(): void;
}
const sax = createRequire(import.meta.url)('sax') as { parser(strict: boolean): SaxParser };

interface Element {
    name: string;
    attributes: Record<string, string>;
    children: Element[];
    text: string;
}

/** Parses strictly (throws on anything malformed) into a tree. */
function parse(xml: string): Element {
    const parser = sax.parser(true);
    const root: Element = { name: '#root', attributes: {}, children: [], text: '' };
    const stack = [root];
    parser.onopentag = (tag) => {
        const element = { name: tag.name, attributes: tag.attributes, children: [], text: '' };
        stack[stack.length - 1]!.children.push(element);
        stack.push(element);
    };
    parser.onclosetag = () => {
        stack.pop();
    };
    parser.ontext = (text) => {
        stack[stack.length - 1]!.text += text;
    };
    parser.write(xml).close();
    return root.children[0]!;
}

const root = tempWorkspace({
    'main.kmflow': `
tool fetch { via ev "fetch" }
server ev { command "/nonexistent/never-started" }
workflow wf { step list uses fetch }
test "passes <always> & \\"quotes\\"" for wf {
    given list returns { count: 1 }
    expect list.output.count == 1
}
test "fails twice" for wf {
    given list returns { text: "a < b && c" }
    expect list.output.count == 1
    expect list.output.text == "x"
}
`,
    'other.kmflow': `
import "./main.kmflow"
test "elsewhere" for wf {
    given list returns { count: 1 }
}
`,
});

afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
});

describe('JUnit XML', () => {
    it('is well-formed and says what passed and what failed, where and why', async () => {
        const [main, other] = [await runFile(root), await runFile(root, 'other.kmflow')];
        const summary = { ...main, results: [...main.results, ...other.results], passed: main.passed + other.passed };
        const xml = junitXml(summary);
        expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
        const suites = parse(xml);
        expect(suites.name).toBe('testsuites');
        expect(suites.attributes).toMatchObject({ tests: '3', failures: '1', errors: '0' });
        expect(suites.children.map((s) => [s.name, s.attributes.name, s.attributes.tests, s.attributes.failures]))
            .toEqual([['testsuite', 'main.kmflow', '2', '1'], ['testsuite', 'other.kmflow', '1', '0']]);
        const cases = suites.children[0]!.children;
        expect(cases.map((c) => [c.attributes.name, c.attributes.classname, c.attributes.line, c.children.length]))
            .toEqual([['passes <always> & "quotes"', 'main.kmflow', '5', 0], ['fails twice', 'main.kmflow', '9', 1]]);
        for (const c of cases) {
            expect(Number(c.attributes.time)).toBeGreaterThanOrEqual(0);
        }
        const failure = cases[1]!.children[0]!;
        expect(failure.name).toBe('failure');
        expect(failure.attributes).toEqual({ type: 'expect', message: 'expected list.output.count == 1, but list.output.count is missing' });
        expect(failure.text).toBe([
            'main.kmflow:11:5: expected list.output.count == 1, but list.output.count is missing',
            '  expected: 1',
            '  actual:   missing',
            'main.kmflow:12:5: expected list.output.text == "x", but list.output.text is "a < b && c"',
            '  expected: "x"',
            '  actual:   "a < b && c"',
        ].join('\n'));
    });
});
