/**
 * The editor settings the server honours, each from the client's `kmflow` configuration
 * section (`workspace/configuration` at start, `workspace/didChangeConfiguration` after),
 * else from `initializationOptions` (the same shape), else the default:
 *
 * - `lenses.steps` (false): a `Run to here` lens over every step;
 * - `inlayHints.enabled` (true): the predicted time of each step after its header.
 *
 * A change of section asks the client to refresh its code lenses and inlay hints.
 */
import type { LangiumSharedServices } from 'langium/lsp';

export interface EditorSettings {
    stepLenses: boolean;
    inlayHints: boolean;
}

export const DEFAULT_EDITOR_SETTINGS: EditorSettings = { stepLenses: false, inlayHints: true };

/** `{ lenses: { steps }, inlayHints: { enabled } }` as a client may send it, loosely typed. */
interface SettingsShape {
    lenses?: { steps?: unknown };
    inlayHints?: { enabled?: unknown };
}

function bool(value: unknown): boolean | undefined {
    return typeof value === 'boolean' ? value : undefined;
}

/** The effective settings: each key from `section`, else `init`, else the default. */
export function resolveEditorSettings(section: unknown, init: unknown): EditorSettings {
    const s = (section !== null && typeof section === 'object' ? section : {}) as SettingsShape;
    const i = (init !== null && typeof init === 'object' ? init : {}) as SettingsShape;
    return {
        stepLenses: bool(s.lenses?.steps) ?? bool(i.lenses?.steps) ?? DEFAULT_EDITOR_SETTINGS.stepLenses,
        inlayHints: bool(s.inlayHints?.enabled) ?? bool(i.inlayHints?.enabled) ?? DEFAULT_EDITOR_SETTINGS.inlayHints,
    };
}

/** Reads the settings of one server session; `current()` is cheap, call it per request. */
export class EditorSettingsSource {
    private init: unknown;

    constructor(private readonly shared: LangiumSharedServices) {
        const lsp = shared.lsp;
        lsp.LanguageServer.onInitialize((params) => {
            this.init = params.initializationOptions;
        });
        shared.workspace.ConfigurationProvider.onConfigurationSectionUpdate((update) => {
            if (update.section !== 'kmflow') {
                return;
            }
            // Not every client supports refresh requests: a refusal is no error here.
            for (const method of ['workspace/codeLens/refresh', 'workspace/inlayHint/refresh']) {
                lsp.Connection?.sendRequest(method).catch(() => undefined);
            }
        });
    }

    /** The settings now; waits for the client's configuration after `initialized`. */
    async current(): Promise<EditorSettings> {
        const provider = this.shared.workspace.ConfigurationProvider;
        const section = {
            lenses: await provider.getConfiguration('kmflow', 'lenses') as unknown,
            inlayHints: await provider.getConfiguration('kmflow', 'inlayHints') as unknown,
        };
        return resolveEditorSettings(section, this.init);
    }
}
