// GET /v1/complaints/{id}/tasks: the case's investigation tasks.
import { complaintService } from '#http/container';
import { defineCoreHandler } from '#http/handler-core';

export const handler = defineCoreHandler('listTasks', async ({ principal, params }) => ({ body: { items: await complaintService().tasks(principal, params.id) } }));
