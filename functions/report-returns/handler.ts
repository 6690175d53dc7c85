// GET /v1/reports/returns?regime&period: a regulator-style complaints return from the reporting counters (JSON or CSV).
import { reportingService } from '#http/reporting-container';
import { defineCoreHandler } from '#http/handler-core';
import { wantsCsv } from '#http/report-csv';
import { returnCsv } from '#domain/reporting/returns';
import { InvalidInputError } from '#domain/errors';
import { REGIME_IDS } from '#domain/regimes';
import { route } from '#http/route-modules/regulatorReturn';

export const handler = defineCoreHandler(route, async ({ query, accept }) => {
  if (!REGIME_IDS.includes(query.regime)) throw new InvalidInputError(`unknown regime ${query.regime}`, [{ field: 'query.regime', message: `must be one of ${REGIME_IDS.join(', ')}` }]);
  const ret = await reportingService().regulatorReturn(query);
  return wantsCsv(accept) ? { body: null, text: { contentType: 'text/csv; charset=utf-8', body: returnCsv(ret), fileName: `return-${query.regime}-${query.period.replace('/', '_')}.csv` } } : { body: ret };
});
