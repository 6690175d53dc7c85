// POST /v1/complaints/{id}/final-response: the owner sends the approved final response; the clock stops.
import { resolutionService } from '#http/approvals-container';
import { defineHandler } from '#http/handler';

export const handler = defineHandler('sendFinalResponse', async ({ principal, params, body, ifMatch }) => {
  const c = await resolutionService().finalResponse(principal, params.id, body, ifMatch);
  return { body: c, version: c.version };
});
