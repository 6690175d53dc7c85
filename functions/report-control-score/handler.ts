// GET /v1/reports/control-score: the seed's 0–12 control score, measured from the reporting counters over a range.
import { reportingService } from '#http/reporting-container';
import { defineCoreHandler } from '#http/handler-core';

export const handler = defineCoreHandler('controlScore', async ({ query }) => ({ body: await reportingService().controlScore(query) }));
