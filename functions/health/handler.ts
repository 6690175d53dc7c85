// GET /v1/health: liveness, no dependencies touched.
import { config } from '#http/config';
import { clock } from '#http/container';
import { defineHandler } from '#http/handler';

export const handler = defineHandler('health', async () => ({
  body: { status: 'ok', service: config().SERVICE_NAME, version: config().SERVICE_VERSION, time: clock().now() },
}));
