// The local stand-in for "bus rule → SQS → webhook-delivery function" and its one-minute retry schedule: published
// events queue here as the bus events EventBridge would put on the queue; each pump round hands them to the same
// delivery handler as one SQS batch (failed records, or the whole batch when the invocation fails, stay queued, like
// unacknowledged messages), and the first round of every pump runs the retry sweep, so a moved local clock fires the
// retries that fell due.
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { busEventOf, type BusEvent } from '#adapters/aws/event-bridge';
import type { LocalOutbox } from '#adapters/local/local-outbox';
import { isPublishedType } from '#domain/event-details';
import { lambdaContext, lazyEntry } from './server';
import type { PumpJob } from './timers';

type DeliveryHandler = (event: SQSEvent | { source: 'aws.events'; 'detail-type': 'Scheduled Event' }, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

export class LocalWebhookRoute {
  private queue: { id: string; event: BusEvent }[] = [];
  private seq = 0;
  private readonly handler = lazyEntry<DeliveryHandler>('functions/webhook-delivery/handler.ts');
  private readonly unsubscribe: () => void;

  constructor(outbox: LocalOutbox) {
    // The rule's filter: published event types only (internal ones such as reminders never reach subscribers).
    this.unsubscribe = outbox.onPublish((events) => {
      for (const e of events) if (isPublishedType(e.type)) this.queue.push({ id: `local-${++this.seq}`, event: busEventOf(e) });
    });
  }

  readonly job: PumpJob = {
    name: 'webhook-delivery',
    run: async (round) => {
      let work = 0;
      if (round === 0) {
        const run = (await this.handler()({ source: 'aws.events', 'detail-type': 'Scheduled Event' }, lambdaContext('webhook-delivery'))) as { attempted: number; cancelled: number };
        work += run.attempted + run.cancelled;
      }
      if (!this.queue.length) return work;
      const batch = this.queue.splice(0, 10);
      const records = batch.map((m) => ({ messageId: m.id, body: JSON.stringify(m.event), eventSource: 'aws:sqs' })) as SQSEvent['Records'];
      let out: SQSBatchResponse;
      try {
        out = (await this.handler()({ Records: records }, lambdaContext('webhook-delivery'))) as SQSBatchResponse;
      } catch (err) {
        // A failed invocation (Powertools throws when every record of the batch failed) acknowledges nothing: SQS
        // delivers the whole batch again, so it goes back to the head of the queue before the pump logs the error.
        this.queue.unshift(...batch);
        throw err;
      }
      const failed = new Set((out.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      this.queue.unshift(...batch.filter((m) => failed.has(m.id)));
      return work + batch.length - failed.size;
    },
  };

  /** Events queued and not yet handed to the delivery function. */
  get queued(): number {
    return this.queue.length;
  }

  close(): void {
    this.unsubscribe();
  }
}
