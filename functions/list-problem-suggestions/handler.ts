// GET /v1/problem-suggestions (supervisor, compliance, admin): suggested problems and links, newest first, with evidence.
import { defineCoreHandler } from '#http/handler-core';
import { suggestionService } from '#http/problems-container';

export const handler = defineCoreHandler('listProblemSuggestions', async ({ query }) => ({ body: await suggestionService().list(query) }));
