// GET /v1/reports/deadlines: the live deadline board (supervisor, compliance, admin).
import { complaintService } from '#http/container';
import { config } from '#http/config';
import { defineCoreHandler } from '#http/handler-core';
import { route } from '#http/route-modules/deadlineReport';

export const handler = defineCoreHandler(route, async () => ({ body: await complaintService().deadlineBoard(config().ORG_TIME_ZONE) }));
