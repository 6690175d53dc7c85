// GET /v1/health: liveness, no dependencies touched. Built on the static stack (no tracer, zod or settings) so its
// bundle stays small; service and version come from the environment with config.ts's defaults.
import { localClock } from '#adapters/local/local-clock';
import { defineStaticHandler } from '#http/static-handler';

/** As config.ts reads them (SERVICE_NAME, SERVICE_VERSION, CLOCK) without parsing the whole configuration. */
const now = () => (process.env.CLOCK === 'local' ? localClock.now() : new Date().toISOString());

export const handler = defineStaticHandler('health', async () => ({
  json: JSON.stringify({ status: 'ok', service: process.env.SERVICE_NAME ?? 'complaints', version: process.env.SERVICE_VERSION ?? '0.1.0', time: now() }),
}));
