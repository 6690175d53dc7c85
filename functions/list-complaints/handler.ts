// GET /v1/complaints: cases sorted by final-response due date, filtered and paginated.
import { complaintService } from '#http/container';
import { defineCoreHandler } from '#http/handler-core';

export const handler = defineCoreHandler('listComplaints', async ({ principal, query }) => ({ body: await complaintService().list(principal, query) }));
