/**
 * The `km_ecosystem_orchestrator` tool's arguments (interfaces.md, "MCP server mode"):
 * their JSON Schema, and the settings they state.
 */
import type { JsonSchema, WorkflowSettings } from '../engine/model/index.js';
import { parseDuration } from '../language/durations.js';
import { SETTING_VALUES, type SeedTarget, type StatedSettings } from './settings-precedence.js';

export const TOOL_NAME = 'km_ecosystem_orchestrator';

export type Operation = 'orchestrate' | 'optimize' | 'monitor' | 'plan' | 'coordinate' | 'analyze';

/** A workflow given by reference: a `.kmflow` file (relative to the server's root) and optionally which workflow. */
export interface FileDefinition {
    file: string;
    workflow?: string;
}

/** The seed's dictionary form: `{workflow_id, steps: [{step_id, tool_id, parameters, ...}], ...}` (seed-dictionary-shape.ts). */
export type SeedDictionary = Record<string, unknown>;

/** kmflow source text, a file reference, the seed's dictionary, or (for `coordinate`) several of them. */
export type Definition = string | FileDefinition | SeedDictionary;

export interface OrchestratorArgs {
    operation: Operation;
    workflow_definition?: Definition | Definition[];
    optimization_target?: SeedTarget;
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
/** Loose on purpose: the dictionary's shape is checked after, with a JSON path per problem. */
const seedDictionary: JsonSchema = {
    type: 'object',
    not: { required: ['file'] },
    description: 'the seed\'s dictionary form: {workflow_id, name, description, steps: [{step_id, tool_id, parameters, ' +
        'preconditions, postconditions, timeout (s), retry_count, parallel_group}], and optionally the settings below ' +
        '(optimization_target, execution_mode, ...), imports (kmflow files declaring tools and servers)}',
};
const definition: JsonSchema = { anyOf: [{ type: 'string', description: 'kmflow source text' }, fileDefinition, seedDictionary] };

/** The tool's input schema (draft 2020-12 subset, checked with ajv before anything runs). */
export const INPUT_SCHEMA: JsonSchema = {
    type: 'object',
    properties: {
        operation: { type: 'string', enum: ['orchestrate', 'optimize', 'monitor', 'plan', 'coordinate', 'analyze'] },
        workflow_definition: {
            description: 'kmflow source text, {file, workflow}, or the seed\'s dictionary form; coordinate also takes a list of them',
            anyOf: [definition, { type: 'array', items: definition, minItems: 1 }],
        },
        optimization_target: {
            type: 'string', enum: [...SETTING_VALUES.optimization_target],
            description: 'default balanced: an equal blend of the five targets in tool routing (see docs/orchestration.md)',
        },
        tool_selection: { type: 'string', enum: [...SETTING_VALUES.tool_selection], description: 'default intelligent' },
        execution_mode: { type: 'string', enum: [...SETTING_VALUES.execution_mode], description: 'default parallel' },
        resource_strategy: { type: 'string', enum: [...SETTING_VALUES.resource_strategy], description: 'default balanced' },
        monitoring_level: { type: 'string', enum: [...SETTING_VALUES.monitoring_level], description: 'default comprehensive' },
        cache_strategy: { type: 'string', enum: [...SETTING_VALUES.cache_strategy], description: 'default intelligent' },
        error_handling: { type: 'string', enum: [...SETTING_VALUES.error_handling], description: 'default resilient' },
        enterprise_mode: { type: 'boolean', description: 'security findings are errors (default true)' },
        strategic_planning: { type: 'boolean', description: 'orchestrate/coordinate: also answer with the predicted plan (default true)' },
        ml_optimization: { type: 'boolean', description: 'tool selection ml_optimized (EWMA-weighted measured figures) unless tool_selection is stated as strongly (default true)' },
        timeout: { anyOf: [{ type: 'number', exclusiveMinimum: 0 }, { type: 'string', pattern: '^[0-9]+(ms|s|m|h)$' }], description: 'workflow timeout: seconds, or a duration like "30s" (default 600)' },
    },
    required: ['operation'],
    additionalProperties: false,
};

/** The settings the caller's arguments state (timeout in seconds). */
export function callerSettings(args: OrchestratorArgs): StatedSettings {
    const stated: Record<string, unknown> = {
        optimization_target: args.optimization_target, tool_selection: args.tool_selection, execution_mode: args.execution_mode,
        resource_strategy: args.resource_strategy, monitoring_level: args.monitoring_level, cache_strategy: args.cache_strategy,
        error_handling: args.error_handling, enterprise_mode: args.enterprise_mode, strategic_planning: args.strategic_planning,
        ml_optimization: args.ml_optimization,
        timeout: args.timeout === undefined ? undefined : typeof args.timeout === 'number' ? args.timeout : parseDuration(args.timeout) / 1000,
    };
    return Object.fromEntries(Object.entries(stated).filter(([, v]) => v !== undefined)) as StatedSettings;
}
