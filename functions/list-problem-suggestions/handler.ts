// GET /v1/problem-suggestions (supervisor, compliance, admin): suggested problems and links, newest first, with evidence, in pages (sealed cursors).
import { definePagedHandler } from '#http/paged-handler';
import { suggestionService } from '#http/signals-container';
import { route } from '#http/route-modules/listProblemSuggestions';

export const handler = definePagedHandler(route, async ({ query }) => ({ body: await suggestionService().list(query) }));
