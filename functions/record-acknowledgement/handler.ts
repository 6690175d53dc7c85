// POST /v1/complaints/{id}/acknowledgement: the owner records the acknowledgement sent to the customer.
import { complaintService } from '#http/container';
import { defineHandler } from '#http/handler';

export const handler = defineHandler('recordAcknowledgement', async ({ principal, params, body, ifMatch }) => {
  const { case: c } = await complaintService().acknowledge(principal, params.id, body, ifMatch);
  return { body: c, version: c.version };
});
