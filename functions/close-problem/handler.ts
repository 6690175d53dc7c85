// POST /v1/problems/{id}/close (supervisor, compliance, admin): close with root cause and fix; owners of linked open complaints are told.
import { defineHandler } from '#http/handler';
import { provideSnsNotifier } from '#http/problem-notifier';
import { problemService } from '#http/problems-container';
import { route } from '#http/route-modules/closeProblem';

// Closing tells the owners of the problem's linked open complaints (SNS in AWS).
provideSnsNotifier();

export const handler = defineHandler(route, async ({ principal, params, body, ifMatch }) => {
  const { problem } = await problemService().close(principal, params.id, body, ifMatch);
  return { body: problem, version: problem.version };
});
