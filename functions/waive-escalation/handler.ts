// POST /v1/complaints/{id}/escalation-waivers: a recorded decision not to escalate a raised risk, with who and why;
// the open escalation it concerns stops.
import { escalationService } from '#http/approvals-container';
import { defineHandler } from '#http/handler';
import { locationIn } from '#http/route-helpers';
import { route } from '#http/route-modules/waiveEscalation';

export const handler = defineHandler(route, async ({ principal, params, body, ifMatch }) => {
  const out = await escalationService().waive(principal, params.id, body, ifMatch);
  return { status: 201, body: { waiver: out.waiver, escalation: out.escalation }, version: out.case.version, headers: { location: locationIn(route, { id: out.case.id }) } };
});
