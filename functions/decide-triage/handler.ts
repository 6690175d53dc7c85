// POST /v1/complaints/{id}/triage/decisions: accept or override one suggested field (a versioned case change, If-Match).
import { complaintService } from '#http/container';
import { defineHandler } from '#http/handler';
import { route } from '#http/route-modules/decideTriage';

export const handler = defineHandler(route, async ({ principal, params, body, ifMatch }) => {
  const { case: c, triage } = await complaintService().decideTriage(principal, params.id, body, ifMatch);
  return { body: triage, version: c.version };
});
