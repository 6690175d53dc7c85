// PATCH /v1/complaints/{id}/tasks/{taskId}: status (blocked records blockedSince) and findings.
import { complaintService } from '#http/container';
import { defineCoreHandler } from '#http/handler-core';
import { route } from '#http/route-modules/updateTask';

export const handler = defineCoreHandler(route, async ({ principal, params, body, ifMatch }) => {
  const { case: c, task } = await complaintService().updateTask(principal, params.id, params.taskId, body, ifMatch);
  return { body: task, version: c.version };
});
