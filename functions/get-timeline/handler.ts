// GET /v1/complaints/{id}/timeline: the audit trail, oldest first, with the chain's verification.
import { complaintService } from '#http/container';
import { defineHandler } from '#http/handler';

export const handler = defineHandler('getTimeline', async ({ principal, params }) => ({ body: await complaintService().timeline(principal, params.id) }));
