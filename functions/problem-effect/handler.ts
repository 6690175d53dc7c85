// GET /v1/problems/{id}/effect (supervisor, compliance, admin): complaints per week before and after the fix, rate ratio, verdict.
import { defineCoreHandler } from '#http/handler-core';
import { problemService } from '#http/problems-container';
import { route } from '#http/route-modules/problemEffect';

export const handler = defineCoreHandler(route, async ({ params, query }) => ({ body: await problemService().effect(params.id, query) }));
