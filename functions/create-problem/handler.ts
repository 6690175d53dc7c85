// POST /v1/problems (supervisor, compliance, admin): open a problem record, optionally linking complaints with a reason.
import { defineHandler } from '#http/handler';
import { locationOf } from '#http/routes';
import { problemService } from '#http/problems-container';

export const handler = defineHandler('createProblem', async ({ principal, body }) => {
  const p = await problemService().create(principal, body);
  return { body: p, version: p.version, headers: { location: locationOf('createProblem', { id: p.id }) } };
});
