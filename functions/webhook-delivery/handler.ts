// Subscriber webhook delivery. Two triggers: SQS batches of published events (bus rule → queue; each event is fanned
// out to the subscriptions that want it and attempted at once; a failed record is reported, SQS redelivers it, and
// after maxReceiveCount it lands in the queue's DLQ), and a one-minute schedule that retries the deliveries due
// (exponential backoff with jitter, recorded per delivery; the last failure is the delivery's dead-letter record).
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { webhookPayloadOf, type BusEvent } from '#adapters/aws/event-bridge';
import { defineEventHandler } from '#http/event-handler';
import { logger, metrics } from '#http/observability';
import { webhookService } from '#http/webhooks-container';

const processor = new BatchProcessor(EventType.SQS);

const onRecord = async (record: SQSRecord): Promise<void> => {
  const payload = webhookPayloadOf(JSON.parse(record.body) as BusEvent);
  if (!payload) return;
  const out = await webhookService().fanOut(payload);
  if (out.deliveries) metrics.addMetric('WebhookDeliveriesCreated', MetricUnit.Count, out.deliveries);
  if (out.deliveries > out.delivered) logger.warn('webhook delivery failed, retry scheduled', { eventId: payload.id, type: payload.type, ...out });
};

type Scheduled = { source: 'aws.events'; 'detail-type': 'Scheduled Event' };
const isSqs = (e: SQSEvent | Scheduled): e is SQSEvent => Array.isArray((e as SQSEvent).Records);

export const handler = defineEventHandler<SQSEvent | Scheduled, SQSBatchResponse | Awaited<ReturnType<ReturnType<typeof webhookService>['retryDue']>>>('webhook-delivery', async (event, context) => {
  if (isSqs(event)) return processPartialResponse(event, onRecord, processor, { context });
  const run = await webhookService().retryDue();
  metrics.addMetric('WebhookRetries', MetricUnit.Count, run.attempted);
  if (run.deadLettered) {
    metrics.addMetric('WebhookDeadLettered', MetricUnit.Count, run.deadLettered);
    logger.error('webhook deliveries dead-lettered after their last attempt', { ...run });
  }
  return run;
});
