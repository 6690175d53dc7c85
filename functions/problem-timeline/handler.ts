// GET /v1/problems/{id}/timeline (supervisor, compliance, admin): the problem's audit trail and its chain verdict.
import { defineCoreHandler } from '#http/handler-core';
import { problemService } from '#http/problems-container';

export const handler = defineCoreHandler('problemTimeline', async ({ params }) => ({ body: await problemService().timeline(params.id) }));
