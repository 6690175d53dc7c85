// POST /v1/complaints/{id}/releases/{releaseId}/decision: legal or compliance decides; the second approval builds the bundle.
import { exportService } from '#http/export-container';
import { defineHandler } from '#http/handler';
import { route } from '#http/route-modules/decideRelease';

export const handler = defineHandler(route, async ({ principal, params, body, ifMatch }) => {
  const { release, version } = await exportService().decideRelease(principal, params.id, params.releaseId, body, ifMatch);
  return { body: release, version };
});
