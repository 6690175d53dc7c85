// GET /v1/complaints/{id}/tasks: the case's investigation tasks.
import { complaintService } from '#http/container';
import { defineHandler } from '#http/handler';

export const handler = defineHandler('listTasks', async ({ principal, params }) => ({ body: { items: await complaintService().tasks(principal, params.id) } }));
