/**
 * Seals a run's secrets for the trip to the language server (src/shared/lsp-protocol.ts,
 * `sealedSecrets`): AES-256-GCM under a session key made when the extension starts the
 * server and given to that process only, in its environment. The pipe is the same
 * machine and user either way; sealed, the secrets do not show even in a verbose trace
 * of the messages (`kmflow.trace.server`).
 */
import { createCipheriv, randomBytes } from 'node:crypto';

/** The variable the server process reads its session key from. */
export const SESSION_KEY_VARIABLE = 'KMFLOW_SESSION_KEY';

/** A fresh 32-byte key. */
export function newSessionKey(): Buffer {
    return randomBytes(32);
}

/** Base64 of IV (12 bytes) ‖ tag (16 bytes) ‖ ciphertext of the secrets' JSON. */
export function sealSecrets(secrets: Record<string, string>, key: Buffer): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64');
}
