// GET /v1/webhooks/{id}/deliveries (admin): a subscription's deliveries, newest first, each with every attempt.
import { definePagedHandler } from '#http/paged-handler';
import { webhookService } from '#http/webhooks-container';
import { route } from '#http/route-modules/listWebhookDeliveries';

export const handler = definePagedHandler(route, async ({ params, query }) => ({ body: await webhookService().deliveries(params.id, query.limit, query.cursor) }));
