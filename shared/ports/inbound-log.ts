// The record of inbound messages the service refused (too large, malformed, no sender): kept and queryable by day.
import type { InboundRejection } from '#schemas/channels';

export interface InboundLog {
  recordRejection(r: InboundRejection): Promise<void>;
  /** The rejections of one UTC day (YYYY-MM-DD), oldest first. */
  rejections(day: string): Promise<InboundRejection[]>;
}
