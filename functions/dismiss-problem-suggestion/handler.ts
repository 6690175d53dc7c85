// POST /v1/problem-suggestions/{suggestionId}/dismiss (supervisor, compliance, admin): dismiss with a reason.
import { defineHandler } from '#http/handler';
import { suggestionService } from '#http/signals-container';
import { route } from '#http/route-modules/dismissProblemSuggestion';

export const handler = defineHandler(route, async ({ principal, params, body }) => ({ body: await suggestionService().dismiss(principal, params.suggestionId, body.reason) }));
