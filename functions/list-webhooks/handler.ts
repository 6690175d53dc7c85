// GET /v1/webhooks (admin): the subscriptions, newest first, paginated.
import { definePagedHandler } from '#http/paged-handler';
import { webhookService } from '#http/webhooks-container';

export const handler = definePagedHandler('listWebhooks', async ({ query }) => ({ body: await webhookService().list(query.limit, query.cursor) }));
