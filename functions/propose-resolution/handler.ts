// POST /v1/complaints/{id}/resolution: the owner proposes the outcome; the approval stages the rules require come back.
import { resolutionService } from '#http/approvals-container';
import { defineHandler } from '#http/handler';
import { locationOf } from '#http/routes';

export const handler = defineHandler('proposeResolution', async ({ principal, params, body, ifMatch }) => {
  const out = await resolutionService().propose(principal, params.id, body, ifMatch);
  return { status: 201, body: { ...out.resolution, stages: out.stages }, version: out.case.version, headers: { location: locationOf('proposeResolution', { id: out.case.id }) } };
});
