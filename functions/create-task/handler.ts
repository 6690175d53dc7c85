// POST /v1/complaints/{id}/tasks: open an investigation task or cross-team dependency.
import { complaintService } from '#http/container';
import { defineHandler } from '#http/handler';

export const handler = defineHandler('createTask', async ({ principal, params, body, ifMatch }) => {
  const { case: c, task } = await complaintService().createTask(principal, params.id, body, ifMatch);
  return { body: task, version: c.version, headers: { location: `/v1/complaints/${c.id}/tasks/${task.id}` } };
});
