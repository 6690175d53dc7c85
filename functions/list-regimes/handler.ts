// GET /v1/regimes: the deadline policies and the rules they cite, a page at a time.
import { complaintService } from '#http/container';
import { definePagedHandler } from '#http/paged-handler';

export const handler = definePagedHandler('listRegimes', async ({ query }) => ({ body: complaintService().regimes(query) }));
