// GET /v1/exports/{exportId}: the export job; a ready one comes with an audited 5-minute download link.
import { exportService } from '#http/export-container';
import { defineCoreHandler } from '#http/handler-core';

export const handler = defineCoreHandler('getExport', async ({ principal, params }) => ({ body: await exportService().get(principal, params.exportId) }));
