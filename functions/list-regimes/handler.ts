// GET /v1/regimes: the deadline policies and the rules they cite.
import { complaintService } from '#http/container';
import { defineHandler } from '#http/handler';

export const handler = defineHandler('listRegimes', async () => ({ body: { items: complaintService().regimes() } }));
