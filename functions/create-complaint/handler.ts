// POST /v1/complaints: open a complaint; the clock starts at receipt and an owner is assigned.
import { intakeComplaintService } from '#http/intake-container';
import { defineHandler } from '#http/handler';
import { locationOf } from '#http/routes';

export const handler = defineHandler('createComplaint', async ({ principal, body }) => {
  const c = await intakeComplaintService().open(principal, body);
  return { body: c, version: c.version, headers: { location: locationOf('createComplaint', { id: c.id }) } };
});
