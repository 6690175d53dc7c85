// GET /v1/complaints/{id}/timeline: the audit trail, oldest first and a page of events at a time, with the verification
// of the whole chain against the table's head and against the newest signed audit digest that anchors the case (S3 Object Lock).
import { anchorLookup } from '#http/audit-container';
import { complaintService } from '#http/container';
import { definePagedHandler } from '#http/paged-handler';
import { route } from '#http/route-modules/getTimeline';

export const handler = definePagedHandler(route, async ({ principal, params, query }) => ({ body: await complaintService().timeline(principal, params.id, query, anchorLookup()) }));
