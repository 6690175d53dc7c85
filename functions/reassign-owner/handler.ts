// POST /v1/complaints/{id}/owner: reassign the owner, recorded as a handoff with who, when and why.
import { complaintService } from '#http/container';
import { defineHandler } from '#http/handler';
import { route } from '#http/route-modules/reassignOwner';

export const handler = defineHandler(route, async ({ principal, params, body, ifMatch }) => {
  const { case: c } = await complaintService().reassign(principal, params.id, body, ifMatch);
  return { body: c, version: c.version };
});
