// GET /v1/reports/spikes (supervisor, compliance, admin): spikes in a range of days with the changes 72 hours before each.
import { defineCoreHandler } from '#http/handler-core';
import { signalService } from '#http/problems-container';

export const handler = defineCoreHandler('spikeReport', async ({ query }) => ({ body: await signalService().report(query) }));
