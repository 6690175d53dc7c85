// POST /v1/approvals/{approvalId}/decision: approve or reject the open stage (four eyes), then resume the workflow.
import { resolutionService } from '#http/approvals-container';
import { defineHandler } from '#http/handler';
import { route } from '#http/route-modules/decideApproval';

export const handler = defineHandler(route, async ({ principal, params, body, ifMatch }) => {
  const out = await resolutionService().decide(principal, params.approvalId, body, ifMatch);
  return { body: out.approval, version: out.case.version };
});
