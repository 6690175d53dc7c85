// Target of the per-case one-time schedules (EventBridge Scheduler in AWS, the local scheduler under npm start):
// applies the timer to its case. Idempotent; a malformed payload throws, so Scheduler retries then dead-letters it.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { Timer } from '#schemas/timer';
import { fireCaseTimer } from '#http/letters-container';
import { defineEventHandler } from '#http/event-handler';
import { logger, metrics } from '#http/observability';

export const handler = defineEventHandler('checkpoint', async (event: unknown) => {
  const parsed = Timer.safeParse(event);
  if (!parsed.success) {
    logger.error('not a case timer', { issues: parsed.error.issues });
    throw new Error(`not a case timer: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const timer = parsed.data;
  logger.appendKeys({ caseId: timer.caseId, timer: timer.name });
  const out = await fireCaseTimer(timer);
  metrics.addMetric(out.outcome === 'fired' ? 'TimerFired' : 'TimerIgnored', MetricUnit.Count, 1);
  logger.info(out.outcome === 'fired' ? 'timer fired' : 'timer ignored', { ...out, kind: timer.kind, at: timer.at });
  if ('feedbackLink' in out && out.feedbackLink === 'sent') metrics.addMetric('FeedbackLinksSent', MetricUnit.Count, 1);
  return out;
});
