// GET /v1/problems (supervisor, compliance, admin): problems, newest first, optionally by status, in pages.
import { definePagedHandler } from '#http/paged-handler';
import { problemService } from '#http/problems-container';

export const handler = definePagedHandler('listProblems', async ({ query }) => ({ body: await problemService().list(query) }));
