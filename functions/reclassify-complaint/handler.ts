// PATCH /v1/complaints/{id}: reclassify (owner or supervisor), optimistic concurrency via If-Match.
import { complaintService } from '#http/container';
import { defineCoreHandler } from '#http/handler-core';
import { route } from '#http/route-modules/reclassifyComplaint';

export const handler = defineCoreHandler(route, async ({ principal, params, body, ifMatch }) => {
  const { case: c } = await complaintService().reclassify(principal, params.id, body, ifMatch);
  return { body: c, version: c.version };
});
