// GET /v1/problems/{id}/effect (supervisor, compliance, admin): complaints per week before and after the fix, rate ratio, verdict.
import { defineCoreHandler } from '#http/handler-core';
import { problemService } from '#http/problems-container';

export const handler = defineCoreHandler('problemEffect', async ({ params, query }) => ({ body: await problemService().effect(params.id, query) }));
