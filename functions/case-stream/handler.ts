// Consumer of the cases table stream: keeps each case's schedules in step with the case (create, move, delete),
// publishes audit events as domain events and notifications, starts the approval and escalation workflows, and launches export builds. Records of a batch run in order;
// a failed record is reported (ReportBatchItemFailures) and the stream redelivers from it.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { decodeStreamRecord } from '#adapters/aws/dynamo/stream-records';
import { DeadlineControl } from '#domain/deadline-control';
import { escalationService, resolutionService } from '#http/approvals-container';
import { caseFactsOf } from '#domain/event-details';
import { caseRepository, clock } from '#http/container';
import { deadlineIntegrations } from '#http/integrations';
import { fireCaseTimer } from '#http/letters-container';
import { exportLauncher } from '#http/export-launcher';
import { defineEventHandler } from '#http/event-handler';
import { logger, metrics } from '#http/observability';

const processor = new BatchProcessor(EventType.DynamoDBStreams);
let control: DeadlineControl | undefined;

const deadlineControl = (): DeadlineControl =>
  (control ??= new DeadlineControl({
    ...deadlineIntegrations(),
    clock: clock(),
    // A timer already due when planned fires here (a satisfaction follow-up also sends its link, as from the checkpoint function).
    fire: (t) => fireCaseTimer(t),
    // Published events name the case's channel and helpdesk ticket (externalRef), which only the case item holds.
    caseFacts: async (caseId) => {
      const record = await caseRepository().get(caseId);
      return record ? caseFactsOf(record.case) : undefined;
    },
  }));

const onRecord = async (record: DynamoDBRecord): Promise<void> => {
  const change = decodeStreamRecord(record);
  if (change.kind === 'case') {
    if (change.removed) return deadlineControl().caseRemoved(change.before);
    const sync = await deadlineControl().caseChanged(change.before, change.after, change.changedAt);
    const calls = sync.upserted.length + sync.removed.length;
    if (calls) metrics.addMetric('ScheduleCalls', MetricUnit.Count, calls);
    if (calls || sync.firedNow.length) logger.info('timers synchronised', { caseId: change.caseId, ...sync });
  } else if (change.kind === 'audit') {
    const { caseId, event } = change;
    if (await deadlineControl().auditAppended(caseId, event)) metrics.addMetric('DomainEventsPublished', MetricUnit.Count, 1);
    // Workflows start here, once their change has committed: a proposal with stages, a raised escalation; and a
    // checkpoint or blocked dependency may raise an escalation. Each is idempotent under redelivery.
    if (await resolutionService().onAuditEvent(caseId, event)) logger.info('approval workflow started', { caseId, resolutionId: event.data.resolutionId });
    // A committed export request starts its build (asynchronously; the builder claims the job once).
    if (event.action === 'export.requested' && typeof event.data.exportId === 'string') {
      await exportLauncher().launch({ caseId, exportId: event.data.exportId });
      logger.info('export launched', { caseId, exportId: event.data.exportId });
    }
    const escalation = await escalationService().onAuditEvent(caseId, event);
    if (escalation) {
      metrics.addMetric({ raised: 'EscalationsRaised', started: 'EscalationWorkflowsStarted', resolved: 'EscalationsResolvedWithCase' }[escalation], MetricUnit.Count, 1);
      logger.info(`escalation ${escalation}`, { caseId, action: event.action });
    }
  }
};

export const handler = defineEventHandler('case-stream', (event: DynamoDBStreamEvent, context) =>
  processPartialResponse(event, onRecord, processor, { context, processInParallel: false }),
);
