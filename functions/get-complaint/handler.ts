// GET /v1/complaints/{id}: one case (restricted cases are 404 to those who may not see them).
import { complaintService } from '#http/container';
import { defineHandler } from '#http/handler';

export const handler = defineHandler('getComplaint', async ({ principal, params }) => {
  const c = await complaintService().get(principal, params.id);
  return { body: c, version: c.version };
});
