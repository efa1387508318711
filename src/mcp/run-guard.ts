/**
 * What a run of the MCP face may start, decided before anything is spawned: the
 * servers the callers' definitions declare (refused unless granted by name, or the
 * very launch the root declares), the servers the steps use (only the root's own, as
 * read at start, or granted ones), and `shell` steps (only with `--allow-exec`).
 * A server no step uses is never started.
 */
import { BUILTIN_SERVER } from '../engine/tools/index.js';
import type { ServerSpec, WorkflowSpec } from '../engine/model/index.js';
import type { ToolRegistry } from '../engine/tools/index.js';
import { serversUsed } from '../app/index.js';
import type { McpGrants } from './grants.js';
import { declaredByRoot, type RootServers } from './root-servers.js';

/** A run as the guard sees it: its bound workflow, its registry, the servers its workspace declares. */
export interface GuardedRun {
    workflow: WorkflowSpec;
    registry: ToolRegistry;
    servers: ServerSpec[];
}

export type Guarded = { ok: true; servers: ServerSpec[] } | { ok: false; lines: string[] };

export interface GuardContext {
    grants: McpGrants;
    rootServers: RootServers;
    /** The in-memory documents of caller-supplied definitions: file path → label (`workflow_definition[1]`). */
    callerFiles: ReadonlyMap<string, string>;
}

function permitted(spec: ServerSpec, ctx: GuardContext): boolean {
    return ctx.grants.allowServers.has(spec.name) || declaredByRoot(ctx.rootServers, spec);
}

function launch(spec: ServerSpec): string {
    return spec.command !== undefined ? `command '${[spec.command, ...(spec.args ?? [])].join(' ')}'` : `url '${spec.url ?? ''}'`;
}

function where(spec: ServerSpec, ctx: GuardContext): string {
    const loc = spec.location;
    if (!loc) {
        return '';
    }
    return ` (${ctx.callerFiles.get(loc.file) ?? loc.file}:${loc.line}:${loc.column})`;
}

/** Whether a step's tool (or its compensation) is the built-in `shell`, under any declared name. */
function usesShell(step: WorkflowSpec['steps'][number], registry: ToolRegistry): boolean {
    return [step.tool, step.compensate?.tool].some((id) => {
        if (!id) {
            return false;
        }
        const via = registry.get(id)?.via;
        return via ? via.server === BUILTIN_SERVER && via.tool === 'shell' : id === 'shell';
    });
}

/** The servers to start for `runs` (used and permitted), or why the call is refused. */
export function guardRuns(runs: readonly GuardedRun[], ctx: GuardContext): Guarded {
    const lines: string[] = [];
    const declared = new Map(runs.flatMap((r) => r.servers).map((s) => [s.name, s]));
    const refused = new Set<string>();
    for (const spec of declared.values()) {
        if (spec.location && ctx.callerFiles.has(spec.location.file) && !permitted(spec, ctx)) {
            refused.add(spec.name);
            lines.push(`server '${spec.name}'${where(spec, ctx)}: refused: a caller's workflow_definition may not declare servers ` +
                `(it declares ${launch(spec)}); the operator grants one by name with kmflow mcp --allow-servers ${spec.name}, ` +
                `or declares it in a .kmflow file of the root`);
        }
    }
    const start = new Map<string, ServerSpec>();
    for (const run of runs) {
        for (const { name } of serversUsed(run)) {
            const spec = declared.get(name)!;
            if (permitted(spec, ctx)) {
                start.set(name, spec);
            } else if (!refused.has(name)) {
                refused.add(name);
                lines.push(`server '${name}'${where(spec, ctx)}: refused: not one the root declared when kmflow mcp started ` +
                    `(its launch differs or it is new: restart kmflow mcp to trust an edit of the root), nor granted with --allow-servers`);
            }
        }
        if (!ctx.grants.allowExec) {
            for (const step of run.workflow.steps.filter((s) => usesShell(s, run.registry))) {
                lines.push(`step '${step.id}' of workflow '${run.workflow.id}' uses shell: refused: kmflow mcp runs shell steps only with --allow-exec`);
            }
        }
    }
    return lines.length > 0 ? { ok: false, lines: ['refused before anything ran:', ...lines] } : { ok: true, servers: [...start.values()] };
}
