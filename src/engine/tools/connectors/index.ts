/**
 * MCP connectors: reach any MCP server's tools (stdio or streamable HTTP) through the
 * official SDK client. Plain Node, like the rest of the engine.
 */
export { McpConnection, DEFAULT_CALL_TIMEOUT_MS, type McpConnectionOptions, type McpCallOptions } from './mcp-connection.js';
export { McpConnector, type McpCaller } from './mcp-connector.js';
export { McpConnectorPool, registerServerTools, type McpListing } from './mcp-pool.js';
export { mcpToolDescriptor, mcpToolId, withServerContract, toolHints, securityOf, type McpToolInfo, type McpToolAnnotations, type ToolHints } from './mcp-descriptor.js';
export { toToolResult, resultOutput, resultText, parseIfJson, resultRetryable, type McpCallResult } from './mcp-output.js';
export { callError, abortError, isMcpError, mcpError, McpErrorCode } from './mcp-errors.js';
export { DEFAULT_CONNECT_TIMEOUT_MS, serverEnvironment, commandLine, type OpenedSession } from './mcp-transport.js';
export { checkFailureRule, FAILURE_SUBJECT } from './failure-rule.js';
export { resolveServerSpec, serverSecretNames, type ServerValues, type ResolvedServer } from './server-values.js';
