// GET /v1/approvals?status=pending: the approval stages open for a decision by the caller, a page at a time.
import { approvalReader } from '#http/approvals-container';
import { definePagedHandler } from '#http/paged-handler';
import { route } from '#http/route-modules/listApprovals';

export const handler = definePagedHandler(route, async ({ principal, query }) => ({ body: await approvalReader().pending(principal, query) }));
