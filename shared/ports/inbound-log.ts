// The record of inbound messages the service refused (too large, malformed, no sender, intake failed): kept, queryable
// by day and by id, and marked once a replay has turned the message into a case.
import type { InboundRejection, InboundReplay } from '#schemas/channels';

export interface InboundLog {
  recordRejection(r: InboundRejection): Promise<void>;
  /** A page of the rejections of one UTC day (YYYY-MM-DD), oldest first; `after` is a previous page's `next`. */
  rejections(day: string, limit: number, after?: string): Promise<{ items: InboundRejection[]; next?: string }>;
  /** One rejection by its id, or undefined. */
  rejection(id: string): Promise<InboundRejection | undefined>;
  /**
   * Records the replay on the rejection unless one is recorded already; answers the rejection as stored afterwards
   * (with the earlier replay when a concurrent one won).
   */
  markReplayed(r: InboundRejection, replay: InboundReplay): Promise<InboundRejection>;
}
