// POST /v1/complaints/{id}/exports: start building the locked case bundle (202); a running export is returned instead.
import { exportService } from '#http/export-container';
import { defineHandler } from '#http/handler';
import { locationIn } from '#http/route-helpers';
import { route } from '#http/route-modules/requestExport';

export const handler = defineHandler(route, async ({ principal, params, ifMatch }) => {
  const { job, version } = await exportService().request(principal, params.id, ifMatch);
  return { status: 202, body: job, version, headers: { location: locationIn(route, { exportId: job.exportId }), 'retry-after': String(route.ok.retryAfterSeconds) } };
});
