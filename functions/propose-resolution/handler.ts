// POST /v1/complaints/{id}/resolution: the owner proposes the outcome; the approval stages the rules require come back.
import { resolutionService } from '#http/approvals-container';
import { defineHandler } from '#http/handler';
import { locationIn } from '#http/route-helpers';
import { route } from '#http/route-modules/proposeResolution';

export const handler = defineHandler(route, async ({ principal, params, body, ifMatch }) => {
  const out = await resolutionService().propose(principal, params.id, body, ifMatch);
  return { status: 201, body: { ...out.resolution, stages: out.stages }, version: out.case.version, headers: { location: locationIn(route, { id: out.case.id }) } };
});
