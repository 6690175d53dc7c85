// GET /v1/complaints/{id}/approvals: the case's approval stages (every round, or one proposal's), a page at a time.
import { approvalReader } from '#http/approvals-container';
import { definePagedHandler } from '#http/paged-handler';
import { route } from '#http/route-modules/listCaseApprovals';

export const handler = definePagedHandler(route, async ({ principal, params, query }) => ({ body: await approvalReader().stages(principal, params.id, query) }));
