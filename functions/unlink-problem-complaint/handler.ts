// DELETE /v1/problems/{id}/complaints/{caseId}?reason= (supervisor, compliance, admin): unlink a complaint; audited.
import { defineCoreHandler } from '#http/handler-core';
import { problemService } from '#http/problems-container';
import { route } from '#http/route-modules/unlinkProblemComplaint';

export const handler = defineCoreHandler(route, async ({ principal, params, query, ifMatch }) => {
  const p = await problemService().unlink(principal, params.id, params.caseId, query.reason, ifMatch);
  return { body: p, version: p.version };
});
