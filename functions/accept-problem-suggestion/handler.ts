// POST /v1/problem-suggestions/{suggestionId}/accept (supervisor, compliance, admin): open the problem or link to it.
import { defineHandler } from '#http/handler';
import { suggestionService } from '#http/signals-container';
import { route } from '#http/route-modules/acceptProblemSuggestion';

export const handler = defineHandler(route, async ({ principal, params, body }) => ({ body: await suggestionService().accept(principal, params.suggestionId, body) }));
