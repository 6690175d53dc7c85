// GET /v1/webhooks/{id}/deliveries (admin): a subscription's deliveries, newest first, each with every attempt.
import { defineCoreHandler } from '#http/handler-core';
import { webhookService } from '#http/webhooks-container';

export const handler = defineCoreHandler('listWebhookDeliveries', async ({ params, query }) => ({ body: await webhookService().deliveries(params.id, query.limit, query.cursor) }));
