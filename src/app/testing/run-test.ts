/**
 * One test: the tested workflow run once, in memory, on a fake clock, every call through
 * the test's stubs (`stub-connector.ts`), then its expectations checked against the
 * report. Deterministic: times, timeouts and backoff are the fake clock's (a 10-minute
 * timeout passes in no real time), the retry jitter has a fixed seed, nothing reads the
 * host's environment, and nothing is journaled, cached on disk or added to history.
 */
import { performance } from 'node:perf_hooks';
import { EvalError, evaluate, stringify, type EvalScope, type SourceLocation, type WorkflowSpec } from '../../engine/model/index.js';
import { FakeClock, resolveInputs, RunSetupError, runWorkflow, type RunReport } from '../../engine/run/index.js';
import { BUILTIN_SERVER, mcpToolDescriptor, ToolRegistry, type Connector } from '../../engine/tools/index.js';
import { CassetteError } from '../../engine/state/index.js';
import { missingSecrets, type Trust } from '../../engine/security/index.js';
import type { PreparedRun } from '../../language/prepare-run.js';
import type { TestValueSpec } from '../../language/to-test-spec.js';
import { runSecretValues } from '../cassettes.js';
import type { Workspace } from '../workspace.js';
import { checkExpectations, reportScope } from './expectations.js';
import { replayForTest, testCassettePath, type CassetteReader } from './replay.js';
import { STUB_SERVER, StubConnector, type UnansweredCall } from './stub-connector.js';
import type { TestCase, TestPlace, TestResult } from './test-types.js';

/** Where every test run starts on its fake clock. */
export const TEST_EPOCH = Date.UTC(2025, 0, 1);
/** The retry jitter's seed. */
const TEST_SEED = 1;

/** What the tests of one `kmflow test` share. */
export interface TestEnvironment {
    workspace: Workspace;
    readCassette: CassetteReader;
    /** A source location as results show it (relative to the root). */
    place(location: SourceLocation | undefined, fallback: TestPlace): TestPlace;
    /** Cancels the runs going (their reports say `cancelled`). */
    signal?: AbortSignal;
}

/** A test's result (without its snapshot, which the caller compares) and its run's report. */
export interface TestRun {
    result: TestResult;
    report?: RunReport;
}

class SetupProblem extends Error {
    constructor(message: string, readonly location?: SourceLocation) {
        super(message);
    }
}

export async function runTestCase(env: TestEnvironment, test: TestCase): Promise<TestRun> {
    const started = performance.now();
    const result: TestResult = {
        id: test.id, name: test.name, file: test.file, line: test.line, column: test.column, workflow: test.workflow,
        status: 'passed', failures: [], passedExpectations: 0, wallMs: 0,
    };
    const place = (location?: SourceLocation): TestPlace => env.place(location, test);
    let report: RunReport | undefined;
    try {
        const values = testValues(test);
        const unanswered = new Map<string, UnansweredCall>();
        report = await runOnce(env, test, values, (call) => unanswered.set(`${call.step}\u0000${call.tool}`, call));
        result.runStatus = report.status;
        result.simulatedMs = report.durationMs;
        for (const call of unanswered.values()) {
            result.failures.push({ ...place(test.spec.location), kind: 'no-stub',
                message: `step '${call.step}' calls '${call.tool}', which nothing answers: add \`given ${call.step} returns {…}\`, ` +
                    `\`given tool ${call.tool} …\` or a \`replay\` cassette that holds the call` });
        }
        const checked = checkExpectations(test.spec.expects, reportScope(report, values), (e) => place(e.location));
        result.failures.push(...checked.failures);
        result.passedExpectations = checked.held;
    } catch (err) {
        // Whatever stops one test fails that test, placed, and the others go on.
        const at = err instanceof SetupProblem ? err.location : undefined;
        const message = err instanceof SetupProblem ? err.message : `the test could not run: ${err instanceof Error ? err.message : String(err)}`;
        result.failures.push({ ...place(at ?? test.spec.location), kind: 'setup', message });
    }
    result.status = result.failures.length > 0 ? 'failed' : 'passed';
    result.wallMs = performance.now() - started;
    return { result, report };
}

interface Values {
    inputs: Record<string, unknown>;
    env: Record<string, string>;
    secrets: Record<string, string>;
}

/** The test's `env`, `secret` and `input` values (inputs may read the other two). */
function testValues(test: TestCase): Values {
    const scope: EvalScope = { steps: new Map(), inputs: {}, env: {}, secrets: {} };
    const read = (value: TestValueSpec, at: EvalScope): unknown => {
        try {
            return evaluate(value.value, at);
        } catch (err) {
            throw new SetupProblem(`cannot evaluate the value of '${value.name}': ${err instanceof EvalError ? err.message : String(err)}`, value.location);
        }
    };
    const text = (list: TestValueSpec[]): Record<string, string> => Object.fromEntries(list.map((v) => [v.name, stringify(read(v, scope))]));
    const env = text(test.spec.env);
    const secrets = text(test.spec.secrets);
    const inputs = Object.fromEntries(test.spec.inputs.map((v) => [v.name, read(v, { ...scope, env, secrets })]));
    return { inputs, env, secrets };
}

/** Runs the test's workflow; `values.inputs` become the run's, the workflow's defaults applied. */
async function runOnce(env: TestEnvironment, test: TestCase, values: Values, onUnanswered: (call: UnansweredCall) => void): Promise<RunReport> {
    const prepared: PreparedRun = { ...test.prepared, registry: testRegistry(test.prepared) };
    const workspace = env.workspace;
    values.inputs = checkedInputs(test, values, workspace.trust);
    let replay: ReadonlyMap<string, Connector> | undefined;
    const cassette = test.spec.replay;
    if (cassette) {
        const secrets = runSecretValues([{ prepared, inputs: values.inputs }], { env: values.env, secrets: values.secrets, trust: workspace.trust });
        try {
            replay = await replayForTest(testCassettePath(workspace.root, test.path, cassette.name), prepared, secrets, env.readCassette);
        } catch (err) {
            if (err instanceof CassetteError) {
                throw new SetupProblem(err.message, cassette.location);
            }
            throw err;
        }
    }
    const stub = new StubConnector({
        stubs: test.spec.stubs,
        scope: { steps: new Map(), inputs: values.inputs, env: values.env, secrets: values.secrets },
        servers: prepared.servers,
        replay,
        onUnanswered,
    });
    const servers = new Set([BUILTIN_SERVER, STUB_SERVER, ...prepared.servers.map((s) => s.name)]);
    for (const tool of prepared.registry.all()) {
        servers.add(tool.via!.server);
    }
    try {
        return await runWorkflow(testWorkflow(prepared.workflow), {
            registry: prepared.registry,
            connectors: new Map([...servers].map((name) => [name, stub])),
            inputs: values.inputs,
            env: values.env,
            secrets: values.secrets,
            trust: workspace.trust,
            root: workspace.root,
            clock: new FakeClock(TEST_EPOCH),
            seed: TEST_SEED,
            runId: `test-${test.workflow}`,
            signal: env.signal,
        });
    } catch (err) {
        if (err instanceof RunSetupError) {
            throw new SetupProblem(err.message);
        }
        throw err;
    }
}

/**
 * The registry of a test run: the workflow's, each tool declared without `via` bound to
 * the stubs (a run could not call it, a test can stub it), and a step's `SERVER.TOOL`
 * that neither the lock nor a cassette lists, with no schema (a stub answers it).
 */
function testRegistry(prepared: PreparedRun): ToolRegistry {
    const registry = new ToolRegistry(prepared.registry.all().map((t) => (t.via ? t : { ...t, via: { server: STUB_SERVER, tool: t.id } })));
    const declared = new Set(prepared.servers.map((s) => s.name));
    for (const step of prepared.workflow.steps) {
        const id = step.tool;
        const dot = id?.indexOf('.') ?? -1;
        if (id !== undefined && dot > 0 && declared.has(id.slice(0, dot)) && !registry.has(id)) {
            registry.add({ ...mcpToolDescriptor(id.slice(0, dot), { name: id.slice(dot + 1), inputSchema: { type: 'object' } }), id });
        }
    }
    return registry;
}

/** The workflow as a test runs it: a persistent cache would outlive the test, so it stays within the run. */
function testWorkflow(workflow: WorkflowSpec): WorkflowSpec {
    const cache = workflow.settings.cache;
    return cache === 'intelligent' || cache === 'predictive' ? { ...workflow, settings: { ...workflow.settings, cache: 'basic' } } : workflow;
}

/**
 * The run's inputs, the workflow's defaults applied; what the test must add for the run
 * to start (a required input, a secret the steps read) is said in the test's terms.
 */
function checkedInputs(test: TestCase, values: Values, trust: Trust): Record<string, unknown> {
    const workflow = test.prepared.workflow;
    const input = workflow.inputs.find((i) => !i.hasDefault && !Object.prototype.hasOwnProperty.call(values.inputs, i.name));
    if (input) {
        throw new SetupProblem(`workflow '${workflow.id}' needs input '${input.name}' (${input.type}): add \`input ${input.name} = …\` to test "${test.name}"`);
    }
    const [secret] = missingSecrets(workflow, { env: values.env, secrets: values.secrets, trust });
    if (secret) {
        throw new SetupProblem(`workflow '${workflow.id}' reads secret.${secret.name}: add \`secret ${secret.name} = "…"\` to test "${test.name}"`);
    }
    try {
        return resolveInputs(workflow, values.inputs);
    } catch (err) {
        throw err instanceof RunSetupError ? new SetupProblem(err.message) : err;
    }
}
