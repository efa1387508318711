/**
 * The engine's typed model: what a checked `.kmflow` workflow becomes before it runs.
 * Plain data, no Langium, no VS Code. `src/language/to-engine-model.ts` builds it from
 * the AST; tests and the MCP face may build it by hand.
 */

/** A JSON Schema object, as a tool declares it (draft 2020-12 or 07 subset ajv takes). */
export type JsonSchema = Record<string, unknown>;

/** Where something stands in a source file (1-based). */
export interface SourceLocation {
    file: string;
    line: number;
    column: number;
}

// ---------------------------------------------------------------- expressions

export type BinaryOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'and' | 'or' | '+' | '-' | '*' | '/';
export type UnaryOp = 'not' | '-';

/** One step of a reference's access path: `.field` or `[expr]`. */
export type Access = { field: string } | { index: Expr };

/**
 * Roots of a reference. `step` names a step of the workflow (`list.output.macros`);
 * `item` is the variable of an `each NAME in LIST` fan-out.
 */
export type RefRoot = 'step' | 'input' | 'env' | 'secret' | 'item';

export type Expr =
    | { kind: 'literal'; value: string | number | boolean | null }
    | { kind: 'list'; items: Expr[] }
    | { kind: 'object'; entries: Array<{ key: string; value: Expr }> }
    /** `${}` interpolation: literal text parts and embedded expressions, concatenated. */
    | { kind: 'template'; parts: Array<string | Expr> }
    /** `root` kind; `name` is the step id, input name, env/secret name or item variable. */
    | { kind: 'ref'; root: RefRoot; name: string; path: Access[] }
    | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr }
    | { kind: 'unary'; op: UnaryOp; operand: Expr };

// ---------------------------------------------------------------- tools

export type SecurityLevel = 'standard' | 'high' | 'enterprise';
export type ToolStatus = 'live' | 'alias' | 'removed' | 'spec';

/**
 * How a tool says "failed" inside a normal result (a `failure { ... }` block): when `when`
 * holds for the call's output (bound as the item `output`), the step fails with `code`,
 * `message` and `advice` read from it; codes in `retryable` may succeed on a retry.
 */
export interface FailureRule {
    when: Expr;
    code?: Expr;
    message?: Expr;
    advice?: Expr;
    retryable: string[];
}

/** Where a tool in the registry came from. */
export type ToolSource = 'builtin' | 'declared' | 'catalog' | 'server';

/** The orchestration metadata of one tool: the ecosystem's tool descriptor. */
export interface ToolDescriptor {
    id: string;
    title?: string;
    description?: string;
    category?: string;
    capabilities: string[];
    dependsOn: string[];
    /** Share of one unit of each resource (`cpu`, `memory`, ...), 0 < x <= 1. */
    resources: Record<string, number>;
    performance: { responseTimeMs?: number; reliability?: number };
    integrates: string[];
    security: SecurityLevel;
    enterpriseReady?: boolean;
    aiEnhanced?: boolean;
    /** `cache on`: results may be cached. */
    cacheable: boolean;
    readOnly: boolean;
    idempotent?: boolean;
    destructive?: boolean;
    /** MCP `openWorldHint`: the tool reaches beyond a closed domain (the web, other systems). */
    openWorld?: boolean;
    status?: ToolStatus;
    replacedBy?: string;
    inputSchema?: JsonSchema;
    outputSchema?: JsonSchema;
    /** Implementation: `builtin` or an MCP server, and the tool's name there. */
    via?: { server: string; tool: string };
    /** `server`: the schemas are the server's own (live or locked), not the declaration's. */
    contract?: 'server';
    /** The tool's own failure rule; else its server's applies. */
    failure?: FailureRule;
    source: ToolSource;
    location?: SourceLocation;
}

/** Whether a call to the tool can succeed at all: not only specified, not removed. */
export function isRunnable(tool: Pick<ToolDescriptor, 'status'>): boolean {
    return tool.status !== 'spec' && tool.status !== 'removed';
}

// ---------------------------------------------------------------- workflows

export type ExecutionMode = 'sequential' | 'parallel' | 'adaptive' | 'pipeline';
export type OptimizationTarget = 'performance' | 'efficiency' | 'reliability' | 'cost' | 'user_experience';
export type SelectionStrategy = 'manual' | 'intelligent' | 'adaptive' | 'ml_optimized';
export type ResourceStrategy = 'conservative' | 'balanced' | 'aggressive' | 'unlimited';
export type MonitoringLevel = 'minimal' | 'standard' | 'detailed' | 'comprehensive';
export type CacheStrategy = 'none' | 'basic' | 'intelligent' | 'predictive';
export type ErrorPolicy = 'fail_fast' | 'resilient' | 'recovery' | 'adaptive';

export interface WorkflowSettings {
    mode: ExecutionMode;
    target: OptimizationTarget;
    selection: SelectionStrategy;
    resources: ResourceStrategy;
    monitoring: MonitoringLevel;
    cache: CacheStrategy;
    errors: ErrorPolicy;
    /** Undefined: no limit beyond resources. */
    maxParallel?: number;
    timeoutMs?: number;
    enterprise: boolean;
}

export const DEFAULT_SETTINGS: WorkflowSettings = {
    mode: 'parallel',
    target: 'performance',
    selection: 'manual',
    resources: 'balanced',
    monitoring: 'standard',
    cache: 'none',
    errors: 'fail_fast',
    enterprise: false,
};

export type InputType = 'string' | 'number' | 'boolean' | 'list' | 'object';

export interface InputSpec {
    name: string;
    type: InputType;
    /** Present when the input has a default; otherwise the input is required. */
    default?: unknown;
    hasDefault: boolean;
    /** `input NAME: TYPE secret`: its value is masked everywhere and never journaled. */
    secret?: boolean;
}

export interface ToolCallSpec {
    tool: string;
    /** The `with { ... }` block: always an `object` expression (possibly empty). */
    with: Expr;
}

export interface StepSpec {
    id: string;
    /** The tool id from `uses TOOL`; undefined for `uses capability X` until routed. */
    tool?: string;
    capability?: string;
    with: Expr;
    /** Explicit `after` dependencies only; see `graph.ts` for all of them. */
    after: string[];
    /** `after ... always`: the `after` steps are completion dependencies (run whatever their outcome). */
    afterAlways?: boolean;
    when?: Expr;
    each?: { name: string; items: Expr };
    timeoutMs?: number;
    /** `retry N backoff D`: up to N retries after the first attempt. */
    retry?: { retries: number; backoffMs: number };
    parallelGroup?: string;
    requires: string[];
    ensures: string[];
    /** `cache on|off` on the step overrides the tool's flag. */
    cache?: boolean;
    /**
     * `public`: the step's output may be shown although computed from a secret (it is
     * still masked where a secret's value or form appears in it); see `taint.ts`.
     */
    public?: boolean;
    compensate?: ToolCallSpec;
    location?: SourceLocation;
}

export interface WorkflowSpec {
    id: string;
    title?: string;
    description?: string;
    inputs: InputSpec[];
    settings: WorkflowSettings;
    steps: StepSpec[];
    location?: SourceLocation;
}

// ---------------------------------------------------------------- servers

/**
 * A `server` declaration: an MCP server over stdio (`command`) or streamable HTTP (`url`).
 * `args`, `env`, `headers`, `url` and `cwd` may hold `${secret.NAME}` and `${env.NAME}`,
 * resolved when the server is started (`connectors/server-values.ts`); `$${` is a
 * literal `${`.
 */
export interface ServerSpec {
    name: string;
    command?: string;
    args?: string[];
    env?: Record<string, string>;
    cwd?: string;
    url?: string;
    headers?: Record<string, string>;
    /** Connect/list timeout. */
    timeoutMs?: number;
    /** How the server's tools say "failed" inside a normal result. */
    failure?: FailureRule;
    location?: SourceLocation;
}
