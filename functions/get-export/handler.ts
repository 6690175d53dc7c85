// GET /v1/exports/{exportId}: the export job; a ready one comes with an audited 5-minute download link.
import { exportService } from '#http/export-container';
import { provideBundleLinks } from '#http/bundle-links';
import { defineCoreHandler } from '#http/handler-core';
import { route } from '#http/route-modules/getExport';

// The download link is presigned on the exports bucket (without the S3 client).
provideBundleLinks();

export const handler = defineCoreHandler(route, async ({ principal, params }) => ({ body: await exportService().get(principal, params.exportId) }));
