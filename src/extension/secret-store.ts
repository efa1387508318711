/**
 * Secrets for `secret.NAME`: values in VS Code's SecretStorage (never in settings or
 * files), and the list of names beside them. A run gets them as its `secrets` (never
 * merged into `env`), so the engine knows them as secrets and masks every one, however
 * the workflow reads it.
 */
import type * as vscode from 'vscode';

const NAMES_KEY = 'kmflow.secretNames';

/** Stored secrets by name. */
export class SecretStore {
    constructor(private readonly storage: vscode.SecretStorage) {}

    async names(): Promise<string[]> {
        try {
            const raw = await this.storage.get(NAMES_KEY);
            const parsed: unknown = raw ? JSON.parse(raw) : [];
            return Array.isArray(parsed) ? parsed.filter((n): n is string => typeof n === 'string') : [];
        } catch {
            return [];
        }
    }

    async set(name: string, value: string): Promise<void> {
        await this.storage.store(`kmflow.secret.${name}`, value);
        const names = new Set(await this.names());
        names.add(name);
        await this.storage.store(NAMES_KEY, JSON.stringify([...names].sort()));
    }

    async delete(name: string): Promise<void> {
        await this.storage.delete(`kmflow.secret.${name}`);
        await this.storage.store(NAMES_KEY, JSON.stringify((await this.names()).filter((n) => n !== name)));
    }

    /** Every stored secret by name: a run's `secrets`. */
    async all(): Promise<Record<string, string>> {
        const out: Record<string, string> = {};
        for (const name of await this.names()) {
            const value = await this.storage.get(`kmflow.secret.${name}`);
            if (value !== undefined) {
                out[name] = value;
            }
        }
        return out;
    }
}

/** Secret names are identifiers, as in `secret.NAME`. */
export function isSecretName(name: string): boolean {
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}
