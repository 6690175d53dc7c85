// GET /v1/complaints/{id}/releases/{releaseId}: a release request, its approvals and the recipient's export once approved.
import { exportService } from '#http/export-container';
import { defineHandler } from '#http/handler';

export const handler = defineHandler('getRelease', async ({ principal, params }) => ({ body: await exportService().release(principal, params.id, params.releaseId) }));
