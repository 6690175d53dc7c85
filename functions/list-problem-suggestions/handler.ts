// GET /v1/problem-suggestions (supervisor, compliance, admin): suggested problems and links, newest first, with evidence, in pages (sealed cursors).
import { definePagedHandler } from '#http/paged-handler';
import { suggestionService } from '#http/signals-container';

export const handler = definePagedHandler('listProblemSuggestions', async ({ query }) => ({ body: await suggestionService().list(query) }));
