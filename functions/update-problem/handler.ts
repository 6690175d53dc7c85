// PATCH /v1/problems/{id} (supervisor, compliance, admin): amend an open problem (If-Match: its version).
import { defineCoreHandler } from '#http/handler-core';
import { problemService } from '#http/problems-container';
import { route } from '#http/route-modules/updateProblem';

export const handler = defineCoreHandler(route, async ({ principal, params, body, ifMatch }) => {
  const p = await problemService().update(principal, params.id, body, ifMatch);
  return { body: p, version: p.version };
});
