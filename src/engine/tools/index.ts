/**
 * Tools: the registry and connector contract, the built-in tools, MCP connectors, tool errors.
 * The part's public face: code outside src/engine imports it from here (lint enforces it).
 */
export { type BuiltinTool } from './builtins/builtin-tool.js';
export { BUILTIN_DESCRIPTORS, BUILTIN_SERVER, BUILTIN_TOOLS, confinedPath, createBuiltinConnector } from './builtins/index.js';
export { FAILURE_SUBJECT } from './connectors/failure-rule.js';
export { abortError, callError, mcpError, McpErrorCode, DEFAULT_CALL_TIMEOUT_MS, type McpCaller, type McpCallResult, McpConnector, McpConnectorPool, mcpToolDescriptor, type McpToolInfo, registerServerTools, serverSecretNames } from './connectors/index.js';
export { withServerContract } from './connectors/mcp-descriptor.js';
export { makeDir } from './make-dir.js';
export { type Connector, type ToolContext, ToolRegistry, type ToolResult } from './registry.js';
export { ToolError } from './tool-error.js';
