// GET /v1/health: liveness, no dependencies touched.
import { config } from '#http/config';
import { clock } from '#http/clock';
import { defineDatalessHandler } from '#http/handler-core';
import { route } from '#http/route-modules/health';

export const handler = defineDatalessHandler(route, async () => ({
  body: { status: 'ok', service: config().SERVICE_NAME, version: config().SERVICE_VERSION, time: clock().now() },
}));
