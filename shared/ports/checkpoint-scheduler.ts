// One-time timers per case: EventBridge Scheduler in AWS, the embedded scheduler locally.
import type { Timer } from '#domain/timers';

export interface CheckpointScheduler {
  /**
   * Creates the timer's one-time schedule, or moves it to the timer's time if it already exists.
   * Idempotent: a repeated call with the same timer leaves one schedule.
   */
  upsert(timer: Timer): Promise<'created' | 'updated'>;
  /** Deletes the timer's schedule; a schedule that no longer exists (fired, or deleted before) is success. */
  remove(name: string): Promise<void>;
}
