// POST /v1/complaints/{id}/spam: a supervisor (never the owner) marks a case as spam; it leaves the KPIs and returns.
import { complaintService } from '#http/container';
import { defineHandler } from '#http/handler';
import { route } from '#http/route-modules/markSpam';

export const handler = defineHandler(route, async ({ principal, params, body, ifMatch }) => {
  const { case: c } = await complaintService().markSpam(principal, params.id, body, ifMatch);
  return { body: c, version: c.version };
});
