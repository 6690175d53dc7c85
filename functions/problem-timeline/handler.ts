// GET /v1/problems/{id}/timeline (supervisor, compliance, admin): the problem's audit trail, oldest first and a page of
// events at a time, with the verdict of its whole hash chain on every page.
import { definePagedHandler } from '#http/paged-handler';
import { problemService } from '#http/problems-container';
import { route } from '#http/route-modules/problemTimeline';

export const handler = definePagedHandler(route, async ({ params, query }) => ({ body: await problemService().timeline(params.id, query) }));
