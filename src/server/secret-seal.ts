/**
 * Opens the secrets a client sealed under its session key (lsp-protocol.ts, `sealedSecrets`):
 * AES-256-GCM, base64 of IV (12 bytes) ‖ tag (16 bytes) ‖ ciphertext of the secrets' JSON.
 * The key comes once, in the server process's environment (`KMFLOW_SESSION_KEY`), and is
 * taken out of it at start, so no process a run starts inherits it.
 */
import { createDecipheriv } from 'node:crypto';

export const SESSION_KEY_VARIABLE = 'KMFLOW_SESSION_KEY';

/** Reads the session key from the environment and removes it from there; undefined when none was given. */
export function takeSessionKey(env: NodeJS.ProcessEnv = process.env): Buffer | undefined {
    const text = env[SESSION_KEY_VARIABLE];
    delete env[SESSION_KEY_VARIABLE];
    const key = text ? Buffer.from(text, 'base64') : undefined;
    return key?.length === 32 ? key : undefined;
}

/** The secrets sealed under `key`; throws when they cannot be opened (no key, another key, altered). */
export function unsealSecrets(sealed: string, key: Buffer | undefined): Record<string, string> {
    if (!key) {
        throw new Error('sealed secrets, but the server was given no session key');
    }
    const bytes = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    const json = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
    const parsed = JSON.parse(json) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Object.values(parsed).some((v) => typeof v !== 'string')) {
        throw new Error('the sealed secrets are not a map of names to strings');
    }
    return parsed as Record<string, string>;
}
