// POST /v1/complaints/{id}/tasks: open an investigation task or cross-team dependency.
import { complaintService } from '#http/container';
import { defineHandler } from '#http/handler';
import { locationIn } from '#http/route-helpers';
import { route } from '#http/route-modules/createTask';

export const handler = defineHandler(route, async ({ principal, params, body, ifMatch }) => {
  const { case: c, task } = await complaintService().createTask(principal, params.id, body, ifMatch);
  return { body: task, version: c.version, headers: { location: locationIn(route, { id: c.id, taskId: task.id }) } };
});
