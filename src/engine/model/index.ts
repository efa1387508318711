/**
 * The workflow model a checked file becomes, its expressions, and tool parameter schemas.
 * The part's public face: code outside src/engine imports it from here (lint enforces it).
 */
export { describeExpr, forEachRef } from './expression-refs.js';
export { EvalError, type EvalScope, evaluate, referencedSteps, type StepView, stringify, truthy } from './expressions.js';
export { type Access, DEFAULT_SETTINGS, type Expr, type FailureRule, type InputSpec, type InputType, isRunnable, type JsonSchema, type OptimizationTarget, type SecurityLevel, type ServerSpec, type SourceLocation, type StepSpec, type ToolCallSpec, type ToolDescriptor, type ToolSource, type ToolStatus, type WorkflowSettings, type WorkflowSpec } from './model.js';
export { type ParamError, validateParams } from './param-schema.js';
