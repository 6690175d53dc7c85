// POST /v1/complaints/{id}/releases: ask to release the case outside the organisation; it waits for legal and compliance.
import { exportService } from '#http/export-container';
import { defineHandler } from '#http/handler';
import { locationIn } from '#http/route-helpers';
import { route } from '#http/route-modules/requestRelease';

export const handler = defineHandler(route, async ({ principal, params, body, ifMatch }) => {
  const { release, version } = await exportService().requestRelease(principal, params.id, body, ifMatch);
  return { status: 201, body: release, version, headers: { location: locationIn(route, { id: params.id, releaseId: release.id }) } };
});
