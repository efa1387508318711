/**
 * The settings of an MCP call, in the seed's vocabulary (the tool's argument names):
 * each one from the caller's arguments, else the workflow's own settings, else the
 * seed's default, and which of the three it came from. Also what the engine runs with.
 */
import type { OptimizationTarget, WorkflowSettings } from '../engine/model/index.js';
import { BALANCED_WEIGHTS } from './balanced-target.js';

/** The seed's `optimization_target`: the language's five targets, plus `balanced` (a blend). */
export type SeedTarget = OptimizationTarget | 'balanced';

export interface SeedSettings {
    optimization_target: SeedTarget;
    tool_selection: WorkflowSettings['selection'];
    execution_mode: WorkflowSettings['mode'];
    resource_strategy: WorkflowSettings['resources'];
    monitoring_level: WorkflowSettings['monitoring'];
    cache_strategy: WorkflowSettings['cache'];
    error_handling: WorkflowSettings['errors'];
    enterprise_mode: boolean;
    strategic_planning: boolean;
    ml_optimization: boolean;
    /** Seconds. */
    timeout: number;
}

/** Settings somebody stated (the caller or the workflow); the rest they leave open. */
export type StatedSettings = Partial<SeedSettings>;

/** The seed's defaults (`km_ecosystem_orchestrator`'s keyword defaults). */
export const SEED_DEFAULTS: Readonly<SeedSettings> = {
    optimization_target: 'balanced',
    tool_selection: 'intelligent',
    execution_mode: 'parallel',
    resource_strategy: 'balanced',
    monitoring_level: 'comprehensive',
    cache_strategy: 'intelligent',
    error_handling: 'resilient',
    enterprise_mode: true,
    strategic_planning: true,
    ml_optimization: true,
    timeout: 600,
};

/** The values each enumerated setting takes (the tool's input schema and the dictionary form share them). */
export const SETTING_VALUES = {
    optimization_target: ['performance', 'efficiency', 'reliability', 'cost', 'user_experience', 'balanced'],
    tool_selection: ['manual', 'intelligent', 'adaptive', 'ml_optimized'],
    execution_mode: ['sequential', 'parallel', 'adaptive', 'pipeline'],
    resource_strategy: ['conservative', 'balanced', 'aggressive', 'unlimited'],
    monitoring_level: ['minimal', 'standard', 'detailed', 'comprehensive'],
    cache_strategy: ['none', 'basic', 'intelligent', 'predictive'],
    error_handling: ['fail_fast', 'resilient', 'recovery', 'adaptive'],
} as const;

export const FLAG_SETTINGS = ['enterprise_mode', 'strategic_planning', 'ml_optimization'] as const;

export type SettingSource = 'caller' | 'workflow' | 'default';

export interface ReportedSetting {
    value: unknown;
    source: SettingSource;
    /** What the engine used instead, when that differs from `value` (see `resolveSettings`). */
    applied?: unknown;
    /** `balanced`: the weight of each target in the blend. */
    blend?: Record<OptimizationTarget, number>;
}

export interface ResolvedSettings {
    /** Every setting of the seed's face, its value and where it came from (the answer's `settings`). */
    report: Record<keyof SeedSettings, ReportedSetting>;
    /** The effective values. */
    values: SeedSettings;
    /** What the engine runs with (`maxParallel` is the workflow's). */
    engine: WorkflowSettings;
}

const RANK: Record<SettingSource, number> = { caller: 2, workflow: 1, default: 0 };

/**
 * Caller > workflow > seed default, setting by setting. `ml_optimization` on makes tool
 * selection `ml_optimized` (the EWMA-weighted form of the intelligent scoring), unless
 * `tool_selection` is stated by someone at least as strong as whoever turned
 * `ml_optimization` on (the default `intelligent` is not: the defaults together mean
 * `ml_optimized`). `balanced` is not an engine target: capability steps are bound by
 * the blend of `balanced-target.ts` before the engine sees them, and the engine's
 * own `target` (never consulted then) is set to `efficiency`, the seed's mapping.
 */
export function resolveSettings(caller: StatedSettings, workflow: StatedSettings, maxParallel?: number): ResolvedSettings {
    const report = {} as Record<keyof SeedSettings, ReportedSetting>;
    const values = {} as Record<keyof SeedSettings, unknown>;
    for (const key of Object.keys(SEED_DEFAULTS) as Array<keyof SeedSettings>) {
        const source: SettingSource = caller[key] !== undefined ? 'caller' : workflow[key] !== undefined ? 'workflow' : 'default';
        const value = source === 'caller' ? caller[key] : source === 'workflow' ? workflow[key] : SEED_DEFAULTS[key];
        values[key] = value;
        report[key] = { value, source };
    }
    const v = values as SeedSettings;
    let selection = v.tool_selection;
    const ml = report.ml_optimization;
    const ts = report.tool_selection;
    if (v.ml_optimization && (ts.source === 'default' || RANK[ml.source] > RANK[ts.source])) {
        selection = 'ml_optimized';
    }
    if (selection !== v.tool_selection) {
        ts.applied = selection;
    }
    if (v.optimization_target === 'balanced') {
        report.optimization_target.blend = { ...BALANCED_WEIGHTS };
    }
    const engine: WorkflowSettings = {
        mode: v.execution_mode,
        target: v.optimization_target === 'balanced' ? 'efficiency' : v.optimization_target,
        selection,
        resources: v.resource_strategy,
        monitoring: v.monitoring_level,
        cache: v.cache_strategy,
        errors: v.error_handling,
        maxParallel,
        timeoutMs: Math.round(v.timeout * 1000),
        enterprise: v.enterprise_mode,
    };
    return { report, values: v, engine };
}
