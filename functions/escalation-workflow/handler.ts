// The Lambda steps of the escalation workflow (one function, dispatched on `action` = the state name): record the
// start, notify the current level, store the acknowledgement task token, raise the level, close. Every step goes
// through the case record (conditional, versioned), so a step racing an acknowledgement or a waiver resolves once.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { EscalationStep } from '#schemas/workflow-steps';
import { escalationService } from '#http/approvals-container';
import { defineEventHandler } from '#http/event-handler';
import { logger, metrics } from '#http/observability';

export const handler = defineEventHandler('escalation-workflow', async (event: unknown) => {
  const parsed = EscalationStep.safeParse(event);
  if (!parsed.success) throw new Error(`not an escalation workflow step: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const step = parsed.data;
  logger.appendKeys({ caseId: step.caseId, action: step.action });
  const out = await escalationService().step(step);
  metrics.addMetric(`Escalation${step.action}`, MetricUnit.Count, 1);
  logger.info('escalation step', { ...out });
  return out;
});
