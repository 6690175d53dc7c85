// GET /v1/complaints: cases sorted by final-response due date, filtered and paginated.
import { complaintService } from '#http/container';
import { definePagedHandler } from '#http/paged-handler';

export const handler = definePagedHandler('listComplaints', async ({ principal, query }) => ({ body: await complaintService().list(principal, query) }));
