// POST /v1/problems (supervisor, compliance, admin): open a problem record, optionally linking complaints with a reason.
import { defineHandler } from '#http/handler';
import { locationIn } from '#http/route-helpers';
import { problemService } from '#http/problems-container';
import { route } from '#http/route-modules/createProblem';

export const handler = defineHandler(route, async ({ principal, body }) => {
  const p = await problemService().create(principal, body);
  return { body: p, version: p.version, headers: { location: locationIn(route, { id: p.id }) } };
});
