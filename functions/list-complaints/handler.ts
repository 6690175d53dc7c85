// GET /v1/complaints: cases sorted by final-response due date, filtered and paginated.
import { complaintService } from '#http/container';
import { defineHandler } from '#http/handler';

export const handler = defineHandler('listComplaints', async ({ principal, query }) => ({ body: await complaintService().list(principal, query) }));
