// GET /v1/complaints: cases sorted by final-response due date, filtered and paginated.
import { complaintService } from '#http/container';
import { definePagedHandler } from '#http/paged-handler';
import { route } from '#http/route-modules/listComplaints';

export const handler = definePagedHandler(route, async ({ principal, query }) => ({ body: await complaintService().list(principal, query) }));
