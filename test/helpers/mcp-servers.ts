/** Paths of the real MCP servers from npm that tests talk to. */
import * as path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const EVERYTHING_SERVER = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');

/** A `server` declaration of server-everything over stdio, named `name`. */
export function everythingServer(name = 'ev'): string {
    return `server ${name} {\n    command "node"\n    args [${JSON.stringify(EVERYTHING_SERVER)}, "stdio"]\n}\n`;
}
