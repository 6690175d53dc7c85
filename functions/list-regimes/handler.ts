// GET /v1/regimes: the deadline policies and the rules they cite.
import { complaintService } from '#http/container';
import { defineCoreHandler } from '#http/handler-core';

export const handler = defineCoreHandler('listRegimes', async () => ({ body: { items: complaintService().regimes() } }));
