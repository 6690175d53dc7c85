// GET /v1/reports/control-review?last=20: the most recently received complaints, case by case (JSON or CSV).
import { reportingService } from '#http/reporting-container';
import { defineCoreHandler } from '#http/handler-core';
import { reviewCsv, wantsCsv } from '#http/report-csv';
import { route } from '#http/route-modules/controlReview';

export const handler = defineCoreHandler(route, async ({ query, accept }) => {
  const review = await reportingService().controlReview(query.last);
  return wantsCsv(accept) ? { body: null, text: { contentType: 'text/csv; charset=utf-8', body: reviewCsv(review), fileName: `control-review-last-${review.last}.csv` } } : { body: review };
});
