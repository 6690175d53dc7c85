// The local stand-in for "bus rule → SQS → webhook-delivery function" and its one-minute retry schedule: published
// events queue here as the bus events EventBridge would put on the queue; each pump round hands them to the same
// delivery handler in SQS batches, several at once (failed records, or the whole batch when the invocation fails, stay
// queued, like unacknowledged messages), and the first round of every pump runs the retry sweep, so a moved local clock fires the
// retries that fell due.
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { busEventOf, type BusEvent } from '#adapters/aws/event-bridge';
import type { LocalOutbox } from '#adapters/local/local-outbox';
import { isPublishedType } from '#domain/event-details';
import { lambdaContext, lazyEntry } from './server';
import type { PumpJob } from './timers';

type DeliveryHandler = (event: SQSEvent | { source: 'aws.events'; 'detail-type': 'Scheduled Event' }, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

/** Messages per invocation (the SQS trigger's batch size in infra/constructs/webhook-delivery.ts). */
const BATCH_SIZE = 10;
/** Invocations at once: the trigger's maximum concurrency (WEBHOOK_MAX_CONCURRENCY there; not imported, it loads CDK). */
const LOCAL_DELIVERY_CONCURRENCY = 10;

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
      // The whole backlog, ten to a batch, up to the trigger's maximum concurrency of invocations at once (SQS hands
      // a standard queue's messages out in no order, so batches running side by side is what the queue does too).
      const taken = this.queue.splice(0);
      const batches = Array.from({ length: Math.ceil(taken.length / BATCH_SIZE) }, (_, i) => taken.slice(i * BATCH_SIZE, (i + 1) * BATCH_SIZE));
      const unacknowledged: (typeof taken)[] = batches.map(() => []);
      let error: Error | undefined;
      let next = 0;
      const worker = async (): Promise<void> => {
        for (let i = next++; i < batches.length; i = next++) {
          const batch = batches[i]!;
          const records = batch.map((m) => ({ messageId: m.id, body: JSON.stringify(m.event), eventSource: 'aws:sqs' })) as SQSEvent['Records'];
          try {
            const out = (await this.handler()({ Records: records }, lambdaContext('webhook-delivery'))) as SQSBatchResponse;
            const failed = new Set((out.batchItemFailures ?? []).map((f) => f.itemIdentifier));
            unacknowledged[i] = batch.filter((m) => failed.has(m.id));
          } catch (err) {
            // A failed invocation (Powertools throws when every record of the batch failed) acknowledges nothing: SQS
            // delivers the whole batch again.
            unacknowledged[i] = batch;
            error ??= err instanceof Error ? err : new Error(String(err));
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(LOCAL_DELIVERY_CONCURRENCY, batches.length) }, worker));
      // What was not acknowledged goes back to the head of the queue, in the order it was taken, before what arrived meanwhile.
      const back = unacknowledged.flat();
      this.queue.unshift(...back);
      const delivered = taken.length - back.length;
      // Nothing delivered and an invocation failed: the pump logs the error (and stops asking while nothing else moves).
      if (!delivered && error) throw error;
      return work + delivered;
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
