// POST /v1/complaints/{id}/close: close with a follow-up action and a root cause; the clock stops.
import { complaintService } from '#http/container';
import { defineHandler } from '#http/handler';
import { route } from '#http/route-modules/closeComplaint';

export const handler = defineHandler(route, async ({ principal, params, body, ifMatch }) => {
  const { case: c } = await complaintService().close(principal, params.id, body, ifMatch);
  return { body: c, version: c.version };
});
