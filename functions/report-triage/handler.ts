// GET /v1/reports/triage: triage accuracy and override rate by category, channel and vulnerability, from the counters.
import { triageReport } from '#domain/reporting/triage-report';
import { clock } from '#http/container';
import { config } from '#http/config';
import { defineCoreHandler } from '#http/handler-core';
import { reportStore } from '#http/reporting-container';
import { route } from '#http/route-modules/triageReport';

export const handler = defineCoreHandler(route, async ({ query }) => ({
  body: await triageReport({ store: reportStore(), timeZone: config().ORG_TIME_ZONE, now: clock().now() }, query),
}));
