// RetentionQueue under npm start: batches wait in memory until the local stack hands each to the retention handler as
// an SQS batch, as the queue's event source mapping would (infra/local/stack.ts drains it after the daily dispatch).
import type { RetentionQueue } from '#ports/retention-queue';

export class LocalRetentionQueue implements RetentionQueue {
  private readonly batches: string[][] = [];

  async send(caseIds: readonly string[]): Promise<void> {
    this.batches.push([...caseIds]);
  }

  /** Takes every queued batch (the local stack's drain). */
  take(): string[][] {
    return this.batches.splice(0, this.batches.length);
  }
}

/** One queue per process: the dispatcher and the local stack's drain share it. */
export const localRetentionQueue = new LocalRetentionQueue();
