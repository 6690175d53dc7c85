// POST /v1/webhooks (admin): subscribe a URL to published event types; the signing secret is returned once.
import { defineHandler } from '#http/handler';
import { locationOf } from '#http/routes';
import { webhookService } from '#http/webhooks-container';

export const handler = defineHandler('createWebhook', async ({ principal, body }) => {
  const created = await webhookService().subscribe(principal, body);
  return { body: created, headers: { location: locationOf('createWebhook', { id: created.id }) } };
});
