// GET /v1/reports/spikes (supervisor, compliance, admin): spikes in a range of days with the changes 72 hours before each, in pages (sealed cursors).
import { definePagedHandler } from '#http/paged-handler';
import { signalService } from '#http/signals-container';
import { route } from '#http/route-modules/spikeReport';

export const handler = definePagedHandler(route, async ({ query }) => ({ body: await signalService().report(query) }));
