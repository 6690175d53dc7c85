// Consumer of the cases table stream: keeps each case's schedules in step with the case (create, move, delete)
// and publishes deadline audit events as domain events and notifications. Records of a batch run in order;
// a failed record is reported (ReportBatchItemFailures) and the stream redelivers from it.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { decodeStreamRecord } from '#adapters/aws/dynamo/stream-records';
import { DeadlineControl } from '#domain/deadline-control';
import { clock, complaintService } from '#http/container';
import { deadlineIntegrations } from '#http/integrations';
import { defineEventHandler } from '#http/event-handler';
import { logger, metrics } from '#http/observability';

const processor = new BatchProcessor(EventType.DynamoDBStreams);
let control: DeadlineControl | undefined;

const deadlineControl = (): DeadlineControl =>
  (control ??= new DeadlineControl({ ...deadlineIntegrations(), clock: clock(), fire: (t) => complaintService().fireTimer(t) }));

const onRecord = async (record: DynamoDBRecord): Promise<void> => {
  const change = decodeStreamRecord(record);
  if (change.kind === 'case') {
    if (change.removed) return deadlineControl().caseRemoved(change.before);
    const sync = await deadlineControl().caseChanged(change.before, change.after, change.changedAt);
    const calls = sync.upserted.length + sync.removed.length;
    if (calls) metrics.addMetric('ScheduleCalls', MetricUnit.Count, calls);
    if (calls || sync.firedNow.length) logger.info('timers synchronised', { caseId: change.caseId, ...sync });
  } else if (change.kind === 'audit') {
    if (await deadlineControl().auditAppended(change.caseId, change.event)) metrics.addMetric('DomainEventsPublished', MetricUnit.Count, 1);
  }
};

export const handler = defineEventHandler('case-stream', (event: DynamoDBStreamEvent, context) =>
  processPartialResponse(event, onRecord, processor, { context, processInParallel: false }),
);
