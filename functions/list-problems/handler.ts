// GET /v1/problems (supervisor, compliance, admin): problems, newest first, optionally by status, in pages (sealed cursors).
import { definePagedHandler } from '#http/paged-handler';
import { problemService } from '#http/problems-container';
import { route } from '#http/route-modules/listProblems';

export const handler = definePagedHandler(route, async ({ query }) => ({ body: await problemService().list(query) }));
