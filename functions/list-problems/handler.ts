// GET /v1/problems (supervisor, compliance, admin): problems, newest first, optionally by status, in pages.
import { defineCoreHandler } from '#http/handler-core';
import { problemService } from '#http/problems-container';

export const handler = defineCoreHandler('listProblems', async ({ query }) => ({ body: await problemService().list(query) }));
