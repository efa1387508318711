/** Caller > workflow > seed default, and how `ml_optimization` and `tool_selection` combine. */
import { describe, expect, it } from 'vitest';
import { resolveSettings, SEED_DEFAULTS } from '../../src/mcp/settings-precedence.js';

describe('resolveSettings', () => {
    it('takes each setting from the caller, else the workflow, else the seed default, and says which', () => {
        const r = resolveSettings({ execution_mode: 'pipeline', timeout: 5 }, { execution_mode: 'sequential', cache_strategy: 'none', timeout: 60 }, 3);
        expect(r.report.execution_mode).toEqual({ value: 'pipeline', source: 'caller' });
        expect(r.report.cache_strategy).toEqual({ value: 'none', source: 'workflow' });
        expect(r.report.error_handling).toEqual({ value: 'resilient', source: 'default' });
        expect(r.engine).toMatchObject({ mode: 'pipeline', cache: 'none', errors: 'resilient', timeoutMs: 5000, maxParallel: 3, enterprise: true });
    });

    it('with nothing stated: the seed\'s defaults, balanced routed by the blend and selection ml_optimized', () => {
        const r = resolveSettings({}, {});
        expect(r.values).toEqual(SEED_DEFAULTS);
        expect(r.report.optimization_target.blend).toBeDefined();
        expect(r.engine.selection).toBe('ml_optimized');
        expect(r.report.tool_selection).toEqual({ value: 'intelligent', source: 'default', applied: 'ml_optimized' });
    });

    it('ml_optimization yields to a tool_selection stated at least as strongly', () => {
        const selection = (caller: object, workflow: object) => resolveSettings(caller, workflow).engine.selection;
        expect(selection({}, { tool_selection: 'manual' })).toBe('manual');
        expect(selection({ ml_optimization: true }, { tool_selection: 'manual' })).toBe('ml_optimized');
        expect(selection({ ml_optimization: true, tool_selection: 'adaptive' }, {})).toBe('adaptive');
        expect(selection({ tool_selection: 'intelligent' }, {})).toBe('intelligent');
        expect(selection({ ml_optimization: false }, {})).toBe('intelligent');
    });

    it('a named target is the engine\'s target; balanced has no engine target of its own', () => {
        expect(resolveSettings({ optimization_target: 'reliability' }, {}).engine.target).toBe('reliability');
        const balanced = resolveSettings({}, { optimization_target: 'balanced' });
        expect(balanced.report.optimization_target).toMatchObject({ value: 'balanced', source: 'workflow' });
        expect(balanced.engine.target).toBe('efficiency');
    });
});
