// RetentionQueue through the event bus: each batch is one event that a bus rule puts on the retention SQS queue, whose
// workers' concurrency is bounded by the event source mapping (the bus keeps the SQS client out of the bundle).
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { RetentionQueue } from '#ports/retention-queue';

/** Source and detail-type of a retention batch on the bus: the rule to the retention queue matches exactly these. */
export const RETENTION_BATCH_SOURCE = 'complaints.retention';
export const RETENTION_BATCH_DETAIL_TYPE = 'RetentionBatchDue';

export class EventBridgeRetentionQueue implements RetentionQueue {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async send(caseIds: readonly string[]): Promise<void> {
    const out = await this.client.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: this.busName, Source: RETENTION_BATCH_SOURCE, DetailType: RETENTION_BATCH_DETAIL_TYPE, Detail: JSON.stringify({ caseIds }) }],
      }),
    );
    if (out.FailedEntryCount) throw new Error(`EventBridge rejected the retention batch (${(out.Entries ?? []).map((e) => e.ErrorCode ?? '').join(', ')})`);
  }
}
