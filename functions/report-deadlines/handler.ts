// GET /v1/reports/deadlines: the live deadline board (supervisor, compliance, admin).
import { complaintService } from '#http/container';
import { config } from '#http/config';
import { defineCoreHandler } from '#http/handler-core';

export const handler = defineCoreHandler('deadlineReport', async () => ({ body: await complaintService().deadlineBoard(config().ORG_TIME_ZONE) }));
