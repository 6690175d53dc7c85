// GET /v1/complaints/{id}: one case (restricted cases are 404 to those who may not see them); If-None-Match with the
// current ETag answers 304, so a client can poll a case cheaply.
import { complaintService } from '#http/container';
import { defineCoreHandler } from '#http/handler-core';
import { route } from '#http/route-modules/getComplaint';

export const handler = defineCoreHandler(route, async ({ principal, params, ifNoneMatch }) => {
  if (ifNoneMatch === undefined) {
    const c = await complaintService().get(principal, params.id);
    return { body: c, version: c.version };
  }
  const { case: c, notModified } = await complaintService().getIfModified(principal, params.id, ifNoneMatch);
  return notModified ? { status: 304, body: undefined, version: c.version } : { body: c, version: c.version };
});
