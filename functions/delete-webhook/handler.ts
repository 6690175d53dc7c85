// DELETE /v1/webhooks/{id} (admin): stop a subscription; it and its delivery history stay readable.
import { defineCoreHandler } from '#http/handler-core';
import { webhookService } from '#http/webhooks-container';
import { route } from '#http/route-modules/deleteWebhook';

export const handler = defineCoreHandler(route, async ({ principal, params }) => ({ body: await webhookService().remove(principal, params.id) }));
