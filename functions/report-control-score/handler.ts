// GET /v1/reports/control-score: the seed's 0–12 control score, measured from the reporting counters over a range.
import { reportingService } from '#http/reporting-container';
import { defineCoreHandler } from '#http/handler-core';
import { route } from '#http/route-modules/controlScore';

export const handler = defineCoreHandler(route, async ({ query }) => ({ body: await reportingService().controlScore(query) }));
