// GET /v1/complaints/{id}/tasks: the case's investigation tasks, a page at a time.
import { complaintService } from '#http/container';
import { definePagedHandler } from '#http/paged-handler';

export const handler = definePagedHandler('listTasks', async ({ principal, params, query }) => ({ body: await complaintService().tasks(principal, params.id, query) }));
