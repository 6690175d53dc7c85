// GET /v1/regimes: the deadline policies and the rules they cite, a page at a time.
import { complaintService } from '#http/container';
import { definePagedHandler } from '#http/paged-handler';
import { route } from '#http/route-modules/listRegimes';

export const handler = definePagedHandler(route, async ({ query }) => ({ body: complaintService().regimes(query) }));
