// GET /v1/complaints/{id}/triage: the suggested classification with confidences and the decisions on it (owner or supervisor).
import { complaintService } from '#http/container';
import { defineCoreHandler } from '#http/handler-core';
import { route } from '#http/route-modules/getTriage';

export const handler = defineCoreHandler(route, async ({ principal, params }) => {
  const triage = await complaintService().triage(principal, params.id);
  return { body: triage, version: triage.caseVersion };
});
