// GET /v1/webhooks (admin): the subscriptions, newest first, paginated.
import { defineCoreHandler } from '#http/handler-core';
import { webhookService } from '#http/webhooks-container';

export const handler = defineCoreHandler('listWebhooks', async ({ query }) => ({ body: await webhookService().list(query.limit, query.cursor) }));
