// The Lambda steps of the approval workflow (one function, dispatched on `action` = the state name): store the task
// token of the stage waiting for a decision, remind, raise the approver level, return an expired stage to the owner,
// confirm completion. Every step goes through the case record (conditional, versioned), so a step racing a decision
// resolves exactly once; a malformed payload throws and fails the task.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ApprovalStep } from '#schemas/workflow-steps';
import { resolutionService } from '#http/approvals-container';
import { defineEventHandler } from '#http/event-handler';
import { logger, metrics } from '#http/observability';

export const handler = defineEventHandler('approval-workflow', async (event: unknown) => {
  const parsed = ApprovalStep.safeParse(event);
  if (!parsed.success) throw new Error(`not an approval workflow step: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const step = parsed.data;
  logger.appendKeys({ caseId: step.caseId, action: step.action });
  const out = await resolutionService().runStep(step);
  metrics.addMetric(`Approval${step.action}`, MetricUnit.Count, 1);
  logger.info('approval step', { ...out });
  return out;
});
