// POST /v1/complaints/{id}/tasks: open an investigation task or cross-team dependency.
import { complaintService } from '#http/container';
import { defineHandler } from '#http/handler';
import { locationOf } from '#http/routes';

export const handler = defineHandler('createTask', async ({ principal, params, body, ifMatch }) => {
  const { case: c, task } = await complaintService().createTask(principal, params.id, body, ifMatch);
  return { body: task, version: c.version, headers: { location: locationOf('createTask', { id: c.id, taskId: task.id }) } };
});
