// GET /v1/problems/{id} (supervisor, compliance, admin): one problem with its linked complaints; the ETag is its version.
import { defineCoreHandler } from '#http/handler-core';
import { problemService } from '#http/problems-container';

export const handler = defineCoreHandler('getProblem', async ({ params }) => {
  const p = await problemService().get(params.id);
  return { body: p, version: p.version };
});
