// Scheduled once a day (EventBridge in AWS, the local timers as the local clock passes midnight UTC): redacts the
// personal data of closed complaints past retention. Not an HTTP route; a run is idempotent, so a retry is harmless.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { RetentionRun } from '#domain/retention-service';
import { clock } from '#http/container';
import { defineEventHandler } from '#http/event-handler';
import { logger, metrics } from '#http/observability';
import { retentionService } from '#http/retention-container';

/** Leaves this much of the function's time for the case in hand (a few transactions); the next run goes on from there. */
const STOP_BEFORE_MS = 15_000;

export const handler = defineEventHandler<unknown, RetentionRun>('retention-job', async (_event, context) => {
  const run = await retentionService().runOnce(clock().now(), { shouldStop: () => context.getRemainingTimeInMillis() < STOP_BEFORE_MS });
  metrics.addMetric('RetentionRedacted', MetricUnit.Count, run.redacted);
  metrics.addMetric('RetentionSkippedLegalHold', MetricUnit.Count, run.skippedLegalHold);
  metrics.addMetric('RetentionFailed', MetricUnit.Count, run.failed);
  if (run.failed) logger.error('retention run had failures', { ...run });
  else logger.info('retention run', { ...run });
  return run;
});
