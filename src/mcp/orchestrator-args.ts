/**
 * The `km_ecosystem_orchestrator` tool's arguments (interfaces.md, "MCP server mode"):
 * their JSON Schema, and how they override a workflow's own settings.
 */
import type { JsonSchema, WorkflowSettings } from '../engine/model.js';
import { parseDuration } from '../language/durations.js';

export const TOOL_NAME = 'km_ecosystem_orchestrator';

export type Operation = 'orchestrate' | 'optimize' | 'monitor' | 'plan' | 'coordinate' | 'analyze';

/** A workflow given by reference: a `.kmflow` file (relative to the server's root) and optionally which workflow. */
export interface FileDefinition {
    file: string;
    workflow?: string;
}

/** kmflow source text, a file reference, or (for `coordinate`) several of them. */
export type Definition = string | FileDefinition;

export interface OrchestratorArgs {
    operation: Operation;
    workflow_definition?: Definition | Definition[];
    optimization_target?: WorkflowSettings['target'];
    tool_selection?: WorkflowSettings['selection'];
    execution_mode?: WorkflowSettings['mode'];
    resource_strategy?: WorkflowSettings['resources'];
    monitoring_level?: WorkflowSettings['monitoring'];
    cache_strategy?: WorkflowSettings['cache'];
    error_handling?: WorkflowSettings['errors'];
    enterprise_mode?: boolean;
    strategic_planning?: boolean;
    ml_optimization?: boolean;
    /** Seconds (a number) or a duration (`"30s"`, `"500ms"`): the workflow's timeout. */
    timeout?: number | string;
}

const fileDefinition: JsonSchema = {
    type: 'object',
    properties: {
        file: { type: 'string', description: 'a .kmflow file, relative to the server\'s root' },
        workflow: { type: 'string', description: 'which workflow of the file (default: its only one; coordinate: all)' },
    },
    required: ['file'],
    additionalProperties: false,
};
const definition: JsonSchema = { anyOf: [{ type: 'string', description: 'kmflow source text' }, fileDefinition] };

/** The tool's input schema (draft 2020-12 subset, checked with ajv before anything runs). */
export const INPUT_SCHEMA: JsonSchema = {
    type: 'object',
    properties: {
        operation: { type: 'string', enum: ['orchestrate', 'optimize', 'monitor', 'plan', 'coordinate', 'analyze'] },
        workflow_definition: {
            description: 'kmflow source text, or {file, workflow}; coordinate also takes a list of them',
            anyOf: [definition, { type: 'array', items: definition, minItems: 1 }],
        },
        optimization_target: { type: 'string', enum: ['performance', 'efficiency', 'reliability', 'cost', 'user_experience'] },
        tool_selection: { type: 'string', enum: ['manual', 'intelligent', 'adaptive', 'ml_optimized'] },
        execution_mode: { type: 'string', enum: ['sequential', 'parallel', 'adaptive', 'pipeline'] },
        resource_strategy: { type: 'string', enum: ['conservative', 'balanced', 'aggressive', 'unlimited'] },
        monitoring_level: { type: 'string', enum: ['minimal', 'standard', 'detailed', 'comprehensive'] },
        cache_strategy: { type: 'string', enum: ['none', 'basic', 'intelligent', 'predictive'] },
        error_handling: { type: 'string', enum: ['fail_fast', 'resilient', 'recovery', 'adaptive'] },
        enterprise_mode: { type: 'boolean', description: 'security findings are errors' },
        strategic_planning: { type: 'boolean', description: 'orchestrate/coordinate: also answer with the predicted plan' },
        ml_optimization: { type: 'boolean', description: 'tool selection ml_optimized (EWMA-weighted measured figures) unless tool_selection says otherwise' },
        timeout: { anyOf: [{ type: 'number', exclusiveMinimum: 0 }, { type: 'string', pattern: '^[0-9]+(ms|s|m|h)$' }], description: 'workflow timeout: seconds, or a duration like "30s"' },
    },
    required: ['operation'],
    additionalProperties: false,
};

/** The settings the arguments set; a workflow's own settings fill the rest. */
export function settingsOverrides(args: OrchestratorArgs): Partial<WorkflowSettings> {
    const out: Partial<WorkflowSettings> = {};
    if (args.optimization_target) {
        out.target = args.optimization_target;
    }
    if (args.tool_selection) {
        out.selection = args.tool_selection;
    } else if (args.ml_optimization) {
        out.selection = 'ml_optimized';
    }
    if (args.execution_mode) {
        out.mode = args.execution_mode;
    }
    if (args.resource_strategy) {
        out.resources = args.resource_strategy;
    }
    if (args.monitoring_level) {
        out.monitoring = args.monitoring_level;
    }
    if (args.cache_strategy) {
        out.cache = args.cache_strategy;
    }
    if (args.error_handling) {
        out.errors = args.error_handling;
    }
    if (args.enterprise_mode !== undefined) {
        out.enterprise = args.enterprise_mode;
    }
    if (args.timeout !== undefined) {
        out.timeoutMs = typeof args.timeout === 'number' ? args.timeout * 1000 : parseDuration(args.timeout);
    }
    return out;
}
