// POST /v1/complaints/{id}/exports: start building the locked case bundle (202); a running export is returned instead.
import { exportService } from '#http/export-container';
import { defineHandler } from '#http/handler';
import { locationOf, ROUTES } from '#http/routes';

export const handler = defineHandler('requestExport', async ({ principal, params, ifMatch }) => {
  const { job, version } = await exportService().request(principal, params.id, ifMatch);
  return { status: 202, body: job, version, headers: { location: locationOf('requestExport', { exportId: job.exportId }), 'retry-after': String(ROUTES.requestExport.ok.retryAfterSeconds) } };
});
