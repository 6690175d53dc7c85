// GET /v1/complaints/{id}/releases/{releaseId}: a release request, its approvals and the recipient's export once approved.
import { exportService } from '#http/export-container';
import { defineCoreHandler } from '#http/handler-core';
import { route } from '#http/route-modules/getRelease';

export const handler = defineCoreHandler(route, async ({ principal, params }) => ({ body: await exportService().release(principal, params.id, params.releaseId) }));
