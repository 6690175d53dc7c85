// Consumer of the cases table stream for compliance exports: a new export job (INSERT of a pending EXPORT# item; the
// event source mapping filters for it in AWS) is built here, streamed from the evidence bucket into the exports
// bucket. A redelivered record finds the job claimed and does nothing; a build failure is recorded on the job.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { keys } from '#adapters/aws/dynamo/table-model';
import { ExportJob } from '#schemas/export';
import { exportService } from '#http/export-container';
import { defineEventHandler } from '#http/event-handler';
import { logger, metrics } from '#http/observability';

const processor = new BatchProcessor(EventType.DynamoDBStreams);

/** The export job a record asks to build: a pending EXPORT# item newly written; undefined for anything else. */
export const requestedJob = (record: DynamoDBRecord): ExportJob | undefined => {
  const img = record.dynamodb?.NewImage;
  const sk = record.dynamodb?.Keys?.SK?.S;
  if (record.eventName !== 'INSERT' || !img || !sk?.startsWith(keys.exportPrefix)) return undefined;
  const parsed = ExportJob.safeParse(unmarshall(img as Record<string, AttributeValue>));
  return parsed.success && parsed.data.status === 'pending' ? parsed.data : undefined;
};

const onRecord = async (record: DynamoDBRecord): Promise<void> => {
  const job = requestedJob(record);
  if (!job) return;
  const started = Date.now();
  const outcome = await exportService().build(job.caseId, job.exportId);
  metrics.addMetric(`Export_${outcome}`, MetricUnit.Count, 1);
  if (outcome === 'built') metrics.addMetric('ExportBuildTime', MetricUnit.Milliseconds, Date.now() - started);
  logger.info(`export ${outcome}`, { caseId: job.caseId, exportId: job.exportId, ms: Date.now() - started });
};

export const handler = defineEventHandler('export-builder', (event: DynamoDBStreamEvent, context) =>
  processPartialResponse(event, onRecord, processor, { context, processInParallel: false }),
);
