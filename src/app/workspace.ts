/**
 * A workspace as every front door opens it: a root (`.kmflow/` holds the schema lock,
 * the journal and the measured history), the Trust its runs get, and one Langium
 * workspace that loads and checks its files. The CLI and the MCP face open one per
 * command or call; the language server wraps the one it already has, so what it runs
 * is what the editor shows.
 */
import * as path from 'node:path';
import { NodeFileSystem } from 'langium/node';
import type { LangiumDocument } from 'langium';
import { loadHistory, type History } from '../engine/state/index.js';
import { DENIED, type Trust } from '../engine/security/index.js';
import type { ServerSpec } from '../engine/model/index.js';
import type { KmflowServices } from '../language/kmflow-module.js';
import { createKmflowCoreServices } from '../language/kmflow-core-module.js';
import { diagnosticsOf, loadFiles, type FileProblem } from '../language/load-files.js';
import { declaredServers } from '../language/prepare-run.js';
import { toCliDiagnostic, type CliDiagnostic } from '../language/diagnostic-format.js';

export interface WorkspaceOptions {
    /** The workspace root; default the current directory. */
    root?: string;
    /** What runs may do beyond computing; default nothing (DENIED). */
    trust?: Trust;
    /** Langium services to load into (the language server's own); default a fresh set. */
    services?: KmflowServices;
    /**
     * Called when a load has parsed its documents, before it links and checks them: where
     * a one-shot command (the CLI) collects the parse's garbage (cli/collect-garbage.ts).
     */
    afterParse?: () => void;
}

/** A checked file: its document and its diagnostics as the CLI prints them. */
export interface CheckedFile {
    file: string;
    document: LangiumDocument;
    diagnostics: CliDiagnostic[];
    errors: CliDiagnostic[];
}

export interface LoadResult {
    files: CheckedFile[];
    /** Files that could not be read (missing, a folder, binary, too large). */
    problems: FileProblem[];
    /** Why the schema lock could not be read, when it exists but is broken. */
    lockError?: string;
}

export interface LoadRequest {
    /** Files on disk. */
    files?: string[];
    /** Documents given as text, named as if they were these files (imports resolve from there). */
    sources?: ReadonlyArray<{ file: string; text: string }>;
    /** Ask the declared servers for their tools now (`check --live`). */
    live?: boolean;
    /**
     * Load the root's server declarations and schema lock as context (default true);
     * false sees only what the files themselves declare and import (`lock`, `tools`).
     */
    context?: boolean;
    /** Every bundled catalog, imported or not (default: `std` and the ones the files use). */
    allCatalogs?: boolean;
}

/**
 * What running needs of a workspace: its root, trust, journal folder and history — not
 * its Langium services. A run of prepared workflows takes one of these, so a front door
 * can let the documents go (`Workspace.runRoot`) before a long run starts.
 */
export interface RunRoot {
    readonly root: string;
    readonly trust: Trust;
    readonly runsDir: string;
    history(): Promise<History>;
}

export class Workspace implements RunRoot {
    readonly root: string;
    readonly trust: Trust;
    readonly services: KmflowServices;
    private readonly afterParse: (() => void) | undefined;

    private constructor(options: WorkspaceOptions) {
        this.root = path.resolve(options.root ?? process.cwd());
        this.trust = options.trust ?? DENIED;
        this.services = options.services ?? createKmflowCoreServices(NodeFileSystem);
        this.afterParse = options.afterParse;
    }

    static open(options: WorkspaceOptions = {}): Workspace {
        return new Workspace(options);
    }

    /**
     * Loads and checks files and sources with everything they import, the bundled
     * catalogs, and the root's server declarations and schema lock as context.
     */
    async load(request: LoadRequest): Promise<LoadResult> {
        const loaded = await loadFiles(this.services, request.files ?? [], {
            root: request.context === false ? undefined : this.root, live: request.live, sources: request.sources,
            allCatalogs: request.allCatalogs, afterParse: this.afterParse,
        });
        return {
            files: loaded.documents.map(({ file, document }) => checked(file, document)),
            problems: loaded.problems,
            lockError: loaded.lockError,
        };
    }

    /** Every server the loaded documents declare (first declaration of a name wins). */
    servers(): ServerSpec[] {
        return declaredServers(this.services);
    }

    /** The measured history of the root's runs (`.kmflow/metrics`); empty when there is none. */
    history(): Promise<History> {
        return loadHistory(this.root);
    }

    /** The journal folder of the root's runs. */
    get runsDir(): string {
        return path.join(this.root, '.kmflow', 'runs');
    }

    /**
     * This workspace's root for running, holding nothing of its Langium services: once
     * the workflows are prepared (their engine model built), dropping the workspace for
     * it lets the documents (their trees, a 50,000-step file's hundreds of MB) be
     * collected while the run goes on.
     */
    runRoot(): RunRoot {
        const { root, trust, runsDir } = this;
        return { root, trust, runsDir, history: () => loadHistory(root) };
    }
}

/** A built document's diagnostics, labelled with `file`. */
export function checked(file: string, document: LangiumDocument): CheckedFile {
    const diagnostics = diagnosticsOf(document).map((d) => toCliDiagnostic(file, d));
    return { file, document, diagnostics, errors: diagnostics.filter((d) => d.severity === 'error') };
}
