/**
 * Registers kmflow's checks. Each concern lives in its own file; this one wires them to
 * the node types Langium walks.
 */
import type { ValidationAcceptor, ValidationChecks } from 'langium';
import type { KmflowAstType, Document, Workflow, ToolDecl, TestDecl } from '../generated/ast.js';
import type { KmflowServices } from '../kmflow-module.js';
import { checkDeclaredContracts, checkDocumentIds, checkImports, checkServerKnowledge, checkUnboundServers } from './document-checks.js';
import { checkWorkflowGraph } from './graph-checks.js';
import { checkStepTools, checkToolDecl } from './tool-checks.js';
import { checkSecurity } from './security-checks.js';
import { workflowContext } from './workflow-context.js';
import { checkRepeatedOptions } from './option-checks.js';
import { checkServerValues } from './server-checks.js';
import { checkTest, checkTestTitles } from './test-checks.js';
import { BlockCheckCache } from '../incremental/check-cache.js';

export function registerValidationChecks(services: KmflowServices): void {
    const registry = services.validation.ValidationRegistry;
    const validator = services.validation.KmflowValidator;
    // A workflow's checks read the workflow and its context only, so they are kept while
    // neither changed (incremental/check-cache.ts): keep it so, or check outside the cache.
    const blocks = new BlockCheckCache(services);
    const checks: ValidationChecks<KmflowAstType> = {
        Document: validator.checkDocument,
        Workflow: blocks.wrap((wf: Workflow, accept: ValidationAcceptor) => validator.checkWorkflow(wf, accept)),
        ToolDecl: validator.checkToolDecl,
        TestDecl: validator.checkTestDecl,
    };
    registry.register(checks, validator, 'fast');
}

export class KmflowValidator {
    constructor(private readonly services: KmflowServices) {}

    checkDocument(doc: Document, accept: ValidationAcceptor): void {
        checkDocumentIds(doc, accept);
        checkImports(this.services, doc, accept);
        checkUnboundServers(this.services, doc, accept);
        checkDeclaredContracts(this.services, doc, accept);
        checkServerKnowledge(this.services, doc, accept);
        checkServerValues(this.services, doc, accept);
        doc.servers.forEach((server) => checkRepeatedOptions(server, accept));
        checkTestTitles(doc, accept);
    }

    checkWorkflow(wf: Workflow, accept: ValidationAcceptor): void {
        const ctx = workflowContext(this.services, wf);
        checkWorkflowGraph(ctx, accept);
        checkStepTools(ctx, accept);
        checkSecurity(ctx, accept);
        checkRepeatedOptions(wf, accept);
        for (let i = 0; i < wf.steps.length; i++) {
            checkRepeatedOptions(wf.steps[i]!, accept);
        }
    }

    checkToolDecl(decl: ToolDecl, accept: ValidationAcceptor): void {
        checkToolDecl(decl, accept);
        checkRepeatedOptions(decl, accept);
    }

    checkTestDecl(test: TestDecl, accept: ValidationAcceptor): void {
        checkTest(this.services, test, accept);
        checkRepeatedOptions(test, accept);
    }
}
