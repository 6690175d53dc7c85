// POST /v1/complaints/{id}/escalations: escalate now (the owner: manual; a supervisor: override). The workflow that
// notifies and climbs the ladder starts from the table's stream once the escalation is committed.
import { escalationService } from '#http/approvals-container';
import { defineHandler } from '#http/handler';
import { locationIn } from '#http/route-helpers';
import { route } from '#http/route-modules/raiseEscalation';

export const handler = defineHandler(route, async ({ principal, params, body, ifMatch }) => {
  const out = await escalationService().raise(principal, params.id, body, ifMatch);
  return { status: 201, body: out.escalation, version: out.case.version, headers: { location: locationIn(route, { id: out.case.id, escalationId: out.escalation.id }) } };
});
