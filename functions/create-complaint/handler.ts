// POST /v1/complaints: open a complaint; the clock starts at receipt and an owner is assigned.
import { complaintService } from '#http/container';
import { defineHandler } from '#http/handler';

export const handler = defineHandler('createComplaint', async ({ principal, body }) => {
  const c = await complaintService().open(principal, body);
  return { body: c, version: c.version, headers: { location: `/v1/complaints/${c.id}` } };
});
