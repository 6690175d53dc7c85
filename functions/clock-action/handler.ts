// POST /v1/complaints/{id}/clock: pause, resume or extend the clock where the case's regime allows it; audited.
import { complaintService } from '#http/container';
import { defineHandler } from '#http/handler';
import { route } from '#http/route-modules/clockAction';

export const handler = defineHandler(route, async ({ principal, params, body, ifMatch }) => {
  const { case: c } = await complaintService().clockAction(principal, params.id, body, ifMatch);
  return { body: c, version: c.version };
});
