// GET /v1/problems/{id} (supervisor, compliance, admin): one problem with its linked complaints; the ETag is its version.
import { defineCoreHandler } from '#http/handler-core';
import { problemService } from '#http/problems-container';
import { route } from '#http/route-modules/getProblem';

export const handler = defineCoreHandler(route, async ({ params }) => {
  const p = await problemService().get(params.id);
  return { body: p, version: p.version };
});
