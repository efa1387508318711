/** Paths of the real MCP servers from npm that tests talk to. */
import * as path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const EVERYTHING_SERVER = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');

/** A `server` declaration of server-everything over stdio, named `name`. */
export function everythingServer(name = 'ev'): string {
    return `server ${name} {\n    command "node"\n    args [${JSON.stringify(EVERYTHING_SERVER)}, "stdio"]\n}\n`;
}

/** The SDK fixture server whose tools fail FastMCP-style (`{"success": false, ...}`). */
export const ENVELOPE_SERVER = path.join(ROOT, 'test/fixtures/mcp/envelope-server.mjs');

/** A `server` declaration of the envelope fixture, with the failure rule that reads its answers. */
export function envelopeServer(name = 'fastmcp'): string {
    return `server ${name} {
    command "node"
    args [${JSON.stringify(ENVELOPE_SERVER)}]
    failure {
        when output.success == false
        code output.error.code
        message output.error.message
        advice output.error.recovery_suggestion
        retryable "KM_CONNECTION_FAILED"
    }
}
`;
}
