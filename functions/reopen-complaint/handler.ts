// POST /v1/complaints/{id}/reopen: reopen with a reason; a new clock cycle starts.
import { complaintService } from '#http/container';
import { defineHandler } from '#http/handler';
import { route } from '#http/route-modules/reopenComplaint';

export const handler = defineHandler(route, async ({ principal, params, body, ifMatch }) => {
  const { case: c } = await complaintService().reopen(principal, params.id, body, ifMatch);
  return { body: c, version: c.version };
});
