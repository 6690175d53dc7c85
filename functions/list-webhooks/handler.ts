// GET /v1/webhooks (admin): the subscriptions, newest first, paginated.
import { definePagedHandler } from '#http/paged-handler';
import { webhookService } from '#http/webhooks-container';
import { route } from '#http/route-modules/listWebhooks';

export const handler = definePagedHandler(route, async ({ query }) => ({ body: await webhookService().list(query.limit, query.cursor) }));
