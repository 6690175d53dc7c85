// POST /v1/complaints/{id}/duplicate-of: a supervisor (never the owner) marks a case as a duplicate of a counted one.
import { complaintService } from '#http/container';
import { defineHandler } from '#http/handler';
import { route } from '#http/route-modules/markDuplicate';

export const handler = defineHandler(route, async ({ principal, params, body, ifMatch }) => {
  const { case: c } = await complaintService().markDuplicate(principal, params.id, body, ifMatch);
  return { body: c, version: c.version };
});
