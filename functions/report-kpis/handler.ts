// GET /v1/reports/kpis: key figures over a range from the reporting counters (JSON, or CSV with Accept: text/csv).
import { reportingService } from '#http/reporting-container';
import { defineCoreHandler } from '#http/handler-core';
import { kpiCsv, wantsCsv } from '#http/report-csv';
import { route } from '#http/route-modules/kpiReport';

export const handler = defineCoreHandler(route, async ({ query, accept }) => {
  const report = await reportingService().kpis(query);
  return wantsCsv(accept) ? { body: null, text: { contentType: 'text/csv; charset=utf-8', body: kpiCsv(report), fileName: `kpis-${report.from}-${report.to}.csv` } } : { body: report };
});
