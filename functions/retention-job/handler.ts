// The retention fan-out (issue 29 item 10), one function in two roles. Scheduled once a day (EventBridge in AWS, the
// local timers as the local clock passes midnight UTC) it dispatches: every closed case past retention is queued in
// batches of RETENTION_BATCH ids, and the age of the oldest due case is published (the alarm's metric). From the
// retention SQS queue (bounded concurrency) it redacts one batch; a failed case fails its record, which SQS retries and
// finally dead-letters. Every step is idempotent, so a retry or a batch queued twice is harmless.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod';
import type { RetentionDispatch, RetentionRun } from '#domain/retention-service';
import { clock } from '#http/container';
import { defineEventHandler } from '#http/event-handler';
import { logger, metrics } from '#http/observability';
import { retentionQueue, retentionService } from '#http/retention-container';

/** Leaves this much of the function's time for the case in hand (a few transactions); the record is retried. */
const STOP_BEFORE_MS = 15_000;

/** A queued batch as the bus rule puts it on the queue (the whole bus event) or as the local stack hands it over. */
const QueuedBatch = z.union([z.object({ detail: z.object({ caseIds: z.array(z.string().min(1).max(64)).max(1000) }) }), z.object({ caseIds: z.array(z.string().min(1).max(64)).max(1000) })]);

/** SQS's partial-batch answer, with the batch's counts (the event source mapping reads only batchItemFailures). */
export type RetentionBatchResponse = SQSBatchResponse & { run: RetentionRun };

const isSqs = (event: unknown): event is SQSEvent => typeof event === 'object' && event !== null && Array.isArray((event as { Records?: unknown }).Records);

export const handler = defineEventHandler<unknown, RetentionDispatch | RetentionBatchResponse>('retention-job', async (event, context) => {
  if (!isSqs(event)) {
    const dispatch = await retentionService().dispatch(retentionQueue(), clock().now());
    metrics.addMetric('RetentionDispatched', MetricUnit.Count, dispatch.dispatched);
    metrics.addMetric('RetentionOldestDueAgeSeconds', MetricUnit.Seconds, dispatch.oldestDueAgeSeconds);
    logger.info('retention dispatch', { ...dispatch });
    return dispatch;
  }
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  const total: RetentionRun = { examined: 0, redacted: 0, skippedLegalHold: 0, failed: 0, failures: [], stoppedEarly: false };
  for (const record of event.Records) {
    const parsed = QueuedBatch.safeParse(JSON.parse(record.body));
    if (!parsed.success) {
      // Not a batch this dispatcher wrote: retrying cannot help, so it is logged and dropped.
      logger.error('retention queue record is not a batch of case ids', { messageId: record.messageId });
      continue;
    }
    const ids = 'detail' in parsed.data ? parsed.data.detail.caseIds : parsed.data.caseIds;
    const run = await retentionService().redactBatch(ids, { shouldStop: () => context.getRemainingTimeInMillis() < STOP_BEFORE_MS });
    total.examined += run.examined;
    total.redacted += run.redacted;
    total.skippedLegalHold += run.skippedLegalHold;
    total.failed += run.failed;
    total.failures.push(...run.failures);
    if (run.failed || run.stoppedEarly) failures.push({ itemIdentifier: record.messageId });
  }
  metrics.addMetric('RetentionRedacted', MetricUnit.Count, total.redacted);
  metrics.addMetric('RetentionSkippedLegalHold', MetricUnit.Count, total.skippedLegalHold);
  metrics.addMetric('RetentionFailed', MetricUnit.Count, total.failed);
  if (total.failed) logger.error('retention batch had failures', { ...total });
  else logger.info('retention batch', { ...total });
  return { batchItemFailures: failures, run: total };
});
