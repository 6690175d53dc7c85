// POST /v1/complaints/{id}/unmark: reverses a spam or duplicate marking, so the case counts again.
import { complaintService } from '#http/container';
import { defineHandler } from '#http/handler';
import { route } from '#http/route-modules/unmarkComplaint';

export const handler = defineHandler(route, async ({ principal, params, body, ifMatch }) => {
  const { case: c } = await complaintService().unmark(principal, params.id, body, ifMatch);
  return { body: c, version: c.version };
});
