// Scheduled every AUDIT_DIGEST_MINUTES (EventBridge Scheduler in AWS, the local timers as the local clock passes each
// period): writes one signed audit digest over every case changed since the previous one to S3 Object Lock. Not an
// HTTP route; a retried run writes the next digest or finds nothing changed.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { auditDigestService } from '#http/audit-container';
import { defineEventHandler } from '#http/event-handler';
import { logger, metrics } from '#http/observability';

export interface AuditDigestResult {
  outcome: 'written' | 'nothing_changed';
  number?: number;
  digestId?: string;
  cases: number;
  caughtUp: number;
}

export const handler = defineEventHandler<unknown, AuditDigestResult>('audit-digest', async () => {
  const run = await auditDigestService().run();
  const result: AuditDigestResult =
    run.outcome === 'written'
      ? { outcome: 'written', number: run.digest.body.number, digestId: run.digest.body.digestId, cases: run.digest.leaves.length, caughtUp: run.caughtUp }
      : { outcome: 'nothing_changed', cases: 0, caughtUp: run.caughtUp };
  metrics.addMetric('AuditDigestCases', MetricUnit.Count, result.cases);
  logger.info('audit digest run', { ...result });
  return result;
});
