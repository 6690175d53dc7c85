// GET /v1/approvals?status=pending: the approval stages open for a decision by the caller.
import { resolutionService } from '#http/approvals-container';
import { defineCoreHandler } from '#http/handler-core';

export const handler = defineCoreHandler('listApprovals', async ({ principal, query }) => ({ body: { items: await resolutionService().pending(principal, query.limit) } }));
