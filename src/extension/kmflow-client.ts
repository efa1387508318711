/**
 * The extension's side of the language server's `kmflow/…` protocol
 * (src/shared/lsp-protocol.ts): typed requests through the language client, the live
 * events of each run routed to whoever started it, and secrets sealed under the
 * session key given to the server process (secret-seal.ts). The extension loads no
 * Langium and runs nothing itself: it asks the server, which already has the
 * documents, validated.
 */
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node.js';
import type {
    DebugPausedParams, KmflowRequest, ParamsOf, ResultOf, RunEventParams, RunWarningParams, TestResultInfo, TestResultParams,
} from '../shared/lsp-protocol.js';
import type { RunEvent } from '../shared/run-report.js';
import { sealSecrets } from './secret-seal.js';

/** What a run's starter hears while it goes. */
export interface RunListener {
    onEvent(event: RunEvent): void;
    onWarning(message: string): void;
    /** A debug run stopped before a step (`kmflow/debugResume` goes on). */
    onPaused?(paused: DebugPausedParams): void;
}

export class KmflowClient {
    private client: LanguageClient | undefined;
    private sessionKey: Buffer | undefined;
    private readonly listeners = new Map<string, RunListener>();
    private readonly testListeners = new Map<string, (result: TestResultInfo) => void>();

    /** Uses `client` (started or starting) from now on; its run notifications come here. */
    attach(client: LanguageClient, sessionKey: Buffer): void {
        this.client = client;
        this.sessionKey = sessionKey;
        client.onNotification('kmflow/runEvent', (p: RunEventParams | DebugPausedParams) => {
            const listener = this.listeners.get(p.runId);
            if ('event' in p) {
                listener?.onEvent(p.event);
            } else {
                listener?.onPaused?.(p);
            }
        });
        client.onNotification('kmflow/runWarning', (p: RunWarningParams) => this.listeners.get(p.runId)?.onWarning(p.message));
        client.onNotification('kmflow/testResult', (p: TestResultParams) => this.testListeners.get(p.runId)?.(p.result));
    }

    /** Asks the server; rejects when it is not running (or the request fails there). */
    async request<M extends KmflowRequest>(method: M, params: ParamsOf<M>, token?: vscode.CancellationToken): Promise<ResultOf<M>> {
        const client = this.client;
        if (!client) {
            throw new Error('the KM Flow language server is not running (see the KM Flow output)');
        }
        return token ? client.sendRequest<ResultOf<M>>(method, params, token) : client.sendRequest<ResultOf<M>>(method, params);
    }

    /** Hears run `runId`'s events and warnings until the returned function is called. */
    listen(runId: string, listener: RunListener): () => void {
        this.listeners.set(runId, listener);
        return () => this.listeners.delete(runId);
    }

    /** Hears the test results of `kmflow/runTests` run `runId` until the returned function is called. */
    listenTests(runId: string, listener: (result: TestResultInfo) => void): () => void {
        this.testListeners.set(runId, listener);
        return () => this.testListeners.delete(runId);
    }

    /** Secrets as a run request carries them: sealed under the session key. */
    seal(secrets: Record<string, string>): { sealedSecrets: string } | { secrets: Record<string, string> } {
        return this.sessionKey ? { sealedSecrets: sealSecrets(secrets, this.sessionKey) } : { secrets };
    }

    /** Asks the server to cancel run `runId`. */
    cancelRun(runId: string): void {
        void this.client?.sendNotification('kmflow/cancelRun', { runId }).catch(() => undefined);
    }
}
