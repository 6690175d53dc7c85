// GET /v1/complaints/{id}/tasks: the case's investigation tasks, a page at a time.
import { complaintService } from '#http/container';
import { definePagedHandler } from '#http/paged-handler';
import { route } from '#http/route-modules/listTasks';

export const handler = definePagedHandler(route, async ({ principal, params, query }) => ({ body: await complaintService().tasks(principal, params.id, query) }));
