// POST /v1/problems/{id}/complaints (supervisor, compliance, admin): link a complaint, with who, when and why.
import { defineHandler } from '#http/handler';
import { problemService } from '#http/problems-container';
import { route } from '#http/route-modules/linkProblemComplaint';

export const handler = defineHandler(route, async ({ principal, params, body, ifMatch }) => {
  const p = await problemService().link(principal, params.id, body, ifMatch);
  return { body: p, version: p.version };
});
