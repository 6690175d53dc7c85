// POST /v1/webhooks (admin): subscribe a URL to published event types; the signing secret is returned once.
import { defineHandler } from '#http/handler';
import { webhookService } from '#http/webhooks-container';

export const handler = defineHandler('createWebhook', async ({ principal, body }) => ({ body: await webhookService().subscribe(principal, body) }));
