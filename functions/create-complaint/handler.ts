// POST /v1/complaints: open a complaint; the clock starts at receipt and an owner is assigned.
import { intakeComplaintService } from '#http/intake-container';
import { defineHandler } from '#http/handler';
import { locationIn } from '#http/route-helpers';
import { route } from '#http/route-modules/createComplaint';

export const handler = defineHandler(route, async ({ principal, body }) => {
  const c = await intakeComplaintService().open(principal, body);
  return { body: c, version: c.version, headers: { location: locationIn(route, { id: c.id }) } };
});
