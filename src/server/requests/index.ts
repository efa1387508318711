/**
 * Registers the `kmflow/…` requests and notifications (src/shared/lsp-protocol.ts) on
 * the server's connection, each handler typed by the protocol's params and result.
 */
import type { CancellationToken, Connection } from 'vscode-languageserver/node.js';
import type { KmflowNotifications, KmflowRequest, ParamsOf, ResultOf } from '../../shared/lsp-protocol.js';
import type { ServerContext } from '../context.js';
import { catalogRequest } from './catalog.js';
import { debugBreakpointsRequest, debugResumeRequest } from './debug.js';
import { analyzeRequest, metricsRequest, planRequest } from './insight.js';
import { optimizeRequest } from './optimize.js';
import { checkInputRequest, prepareRequest } from './prepare.js';
import { resumableRequest } from './resumable.js';
import { cancelRunNotification, runRequest } from './run.js';
import { runTestsRequest, testsRequest } from './tests.js';
import { capabilitiesRequest, suggestRequest, toolsRequest } from './tools.js';

export { KMFLOW_SHAPES } from './shapes.js';

type Handler<M extends KmflowRequest> = (params: ParamsOf<M>, token: CancellationToken) => ResultOf<M> | Promise<ResultOf<M>>;

export function registerKmflowRequests(connection: Connection, ctx: ServerContext): void {
    const on = <M extends KmflowRequest>(method: M, handler: Handler<M>): void => {
        connection.onRequest(method, handler);
    };
    on('kmflow/prepare', (p, token) => prepareRequest(ctx, p, token));
    on('kmflow/checkInput', (p) => checkInputRequest(p));
    on('kmflow/run', (p, token) => runRequest(ctx, p, token));
    on('kmflow/plan', (p, token) => planRequest(ctx, p, token));
    on('kmflow/analyze', (p, token) => analyzeRequest(ctx, p, token));
    on('kmflow/metrics', (p) => metricsRequest(ctx, p));
    on('kmflow/optimize', (p, token) => optimizeRequest(ctx, p, token));
    on('kmflow/tools', (p, token) => toolsRequest(ctx, p, token));
    on('kmflow/capabilities', (p, token) => capabilitiesRequest(ctx, p, token));
    on('kmflow/suggest', (p, token) => suggestRequest(ctx, p, token));
    on('kmflow/resumable', (p) => resumableRequest(ctx, p));
    on('kmflow/catalog', (p) => catalogRequest(p));
    on('kmflow/tests', (p, token) => testsRequest(ctx, p, token));
    on('kmflow/runTests', (p, token) => runTestsRequest(ctx, p, token));
    on('kmflow/debugResume', (p) => debugResumeRequest(ctx, p));
    on('kmflow/debugBreakpoints', (p) => debugBreakpointsRequest(ctx, p));
    connection.onNotification('kmflow/cancelRun', (p: KmflowNotifications['kmflow/cancelRun']) => cancelRunNotification(ctx, p));
}
