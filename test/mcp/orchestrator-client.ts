/**
 * The built `kmflow mcp` spawned over stdio in a fresh root and driven by the MCP SDK's
 * own Client, as any MCP host would: shared by the MCP suites.
 */
import { expect } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { KMFLOW } from '../helpers/cli.js';

export interface OrchestratorClient {
    /** The server's root: a new temporary directory. */
    root: string;
    client: Client;
    call(args: Record<string, unknown>): Promise<CallToolResult>;
    close(): Promise<void>;
}

export interface StartOptions {
    /** More arguments of `kmflow mcp` (grants: `--allow-exec`, `--allow-servers x`, ...). */
    args?: string[];
    /** Variables added to the server's environment (the SDK passes only a safe few by default). */
    env?: Record<string, string>;
}

/** Starts `kmflow mcp --root DIR` on a new temporary root holding `files` (name → text). */
export async function startOrchestrator(files: Record<string, string> = {}, options: StartOptions = {}): Promise<OrchestratorClient> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kmflow-mcp-'));
    for (const [name, text] of Object.entries(files)) {
        fs.writeFileSync(path.join(root, name), text);
    }
    const client = new Client({ name: 'kmflow-test', version: '1.0.0' });
    await client.connect(new StdioClientTransport({
        command: process.execPath, args: [KMFLOW, 'mcp', '--root', root, ...(options.args ?? [])], stderr: 'pipe',
        ...(options.env ? { env: { ...getDefaultEnvironment(), ...options.env } } : {}),
    }));
    return {
        root,
        client,
        call: async (args) => (await client.callTool({ name: 'km_ecosystem_orchestrator', arguments: args })) as CallToolResult,
        close: async () => {
            await client.close();
            fs.rmSync(root, { recursive: true, force: true });
        },
    };
}

/** A successful answer's JSON, which must also be its `structuredContent`. */
export function json<T>(result: CallToolResult): T {
    expect(result.isError ?? false, (result.content[0] as { text?: string } | undefined)?.text).toBe(false);
    const text = (result.content[0] as { text: string }).text;
    const value = JSON.parse(text) as T;
    expect(result.structuredContent).toEqual(value);
    return value;
}

/**
 * A run's answer, whatever its status: the report as JSON text and as `structuredContent`;
 * `isError` exactly when the run (or one of several) did not succeed.
 */
export function runAnswer<T extends { status?: string; reports?: Array<{ status: string }> }>(result: CallToolResult): T {
    const text = (result.content[0] as { text: string }).text;
    const value = JSON.parse(text) as T;
    expect(result.structuredContent).toEqual(value);
    const statuses = value.reports ? value.reports.map((r) => r.status) : [value.status];
    expect(result.isError ?? false).toBe(statuses.some((s) => s !== 'succeeded'));
    return value;
}

/** An error answer's lines. */
export function errorLines(result: CallToolResult): string[] {
    expect(result.isError).toBe(true);
    return (result.content[0] as { text: string }).text.split('\n');
}
