// POST /v1/feedback/{token}: the customer's satisfaction through their signed, single-use link (public route).
import { feedbackService } from '#http/feedback-container';
import { defineHandler } from '#http/handler';
import { route } from '#http/route-modules/submitFeedback';

export const handler = defineHandler(route, async ({ params, body }) => ({ body: await feedbackService().submit(params.token, body) }));
