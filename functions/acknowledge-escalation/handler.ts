// POST /v1/complaints/{id}/escalations/{escalationId}/acknowledgement: a manager takes the escalation; its workflow
// stops waiting (the acknowledgement is committed first, then the waiting step is resumed).
import { escalationService } from '#http/approvals-container';
import { defineHandler } from '#http/handler';
import { route } from '#http/route-modules/acknowledgeEscalation';

export const handler = defineHandler(route, async ({ principal, params, body, ifMatch }) => {
  const out = await escalationService().acknowledge(principal, params.id, params.escalationId, body, ifMatch);
  return { body: out.escalation, version: out.case.version };
});
