/**
 * The parameters of the `kmflow/…` methods as far as the server reads them, checked by
 * the message guard (language/lsp/message-guard.ts) before a handler sees them: a
 * malformed request is answered with InvalidParams, a malformed notification dropped.
 */
import type { Shape } from '../../language/lsp/message-guard.js';

const TARGET = { uri: 'string', 'workflow?': 'string', 'toStep?': 'string' } satisfies Record<string, Shape>;
const OPTIONAL_URI = { 'uri?': 'string' } satisfies Record<string, Shape>;

export const KMFLOW_SHAPES: Readonly<Record<string, Shape>> = {
    'kmflow/prepare': { ...TARGET, 'resume?': 'boolean', 'report?': 'object' },
    'kmflow/checkInput': { input: { name: 'string', type: 'string', hasDefault: 'boolean', 'secret?': 'boolean' }, text: 'string' },
    'kmflow/run': {
        ...TARGET, runId: 'string', 'inputs?': 'object', 'secrets?': 'object', 'sealedSecrets?': 'string',
        'resume?': 'string', 'maxParallel?': 'int', 'record?': 'string', 'debug?': { breakpoints: ['string'], stopOnEntry: 'boolean' },
    },
    'kmflow/debugResume': { runId: 'string', action: 'string' },
    'kmflow/debugBreakpoints': { runId: 'string', breakpoints: ['string'] },
    'kmflow/cancelRun': { runId: 'string' },
    'kmflow/plan': TARGET,
    'kmflow/analyze': TARGET,
    'kmflow/optimize': TARGET,
    'kmflow/metrics': OPTIONAL_URI,
    'kmflow/tools': OPTIONAL_URI,
    'kmflow/capabilities': OPTIONAL_URI,
    'kmflow/suggest': { ...OPTIONAL_URI, capabilities: ['string'], target: 'string' },
    'kmflow/resumable': { ...OPTIONAL_URI, 'runId?': 'string', 'workflow?': 'string' },
    'kmflow/catalog': { uri: 'string' },
    'kmflow/tests': OPTIONAL_URI,
    'kmflow/runTests': { runId: 'string', uris: ['string'], 'titles?': ['string'], 'updateSnapshots?': 'boolean' },
};
