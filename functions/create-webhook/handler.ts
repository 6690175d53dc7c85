// POST /v1/webhooks (admin): subscribe a URL to published event types; the signing secret is returned once.
import { defineHandler } from '#http/handler';
import { locationIn } from '#http/route-helpers';
import { webhookService } from '#http/webhooks-container';
import { route } from '#http/route-modules/createWebhook';

export const handler = defineHandler(route, async ({ principal, body }) => {
  const created = await webhookService().subscribe(principal, body);
  return { body: created, headers: { location: locationIn(route, { id: created.id }) } };
});
