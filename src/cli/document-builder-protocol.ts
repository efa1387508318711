/**
 * What Langium's document builder (langium/lib/workspace/document-builder.js) takes from
 * `vscode-languageserver-protocol`, for the CLI's bundle (esbuild.mjs puts this module in
 * the package's place for that one importer): two names, for the errors of `waitUntil`.
 *
 * The package's entry is its Node build: it loads the whole protocol and vscode-jsonrpc's
 * Node transport, with `net`, `crypto`, streams and `perf_hooks`, and every command paid for
 * it while its services were made, though only `kmflow lsp` speaks the protocol (and loads
 * the package itself, where `ResponseError` is this same class: vscode-jsonrpc's common one).
 * test/cli/document-builder-protocol.test.ts holds these to the package's.
 */
export { ResponseError } from 'vscode-jsonrpc/lib/common/messages.js';

/** The protocol's error codes (LSP 3.17) the document builder answers with. */
export const LSPErrorCodes = {
    lspReservedErrorRangeStart: -32899,
    RequestFailed: -32803,
    ServerCancelled: -32802,
    ContentModified: -32801,
    RequestCancelled: -32800,
    lspReservedErrorRangeEnd: -32800,
} as const;
