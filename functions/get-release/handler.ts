// GET /v1/complaints/{id}/releases/{releaseId}: a release request, its approvals and the recipient's export once approved.
import { exportService } from '#http/export-container';
import { defineCoreHandler } from '#http/handler-core';

export const handler = defineCoreHandler('getRelease', async ({ principal, params }) => ({ body: await exportService().release(principal, params.id, params.releaseId) }));
