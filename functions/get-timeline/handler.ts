// GET /v1/complaints/{id}/timeline: the audit trail, oldest first, with the chain's verification against the table's
// head and against the newest signed audit digest that anchors the case (S3 Object Lock).
import { auditDigestService } from '#http/audit-container';
import { complaintService } from '#http/container';
import { defineCoreHandler } from '#http/handler-core';

export const handler = defineCoreHandler('getTimeline', async ({ principal, params }) => ({ body: await complaintService().timeline(principal, params.id, auditDigestService()) }));
