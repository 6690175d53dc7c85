// Where the retention dispatcher puts batches of due case ids for the redaction workers (SQS in AWS, in memory locally).
export interface RetentionQueue {
  /** Queues one batch of case ids; a retry may queue a batch twice (a redaction is idempotent). */
  send(caseIds: readonly string[]): Promise<void>;
}
