// CheckpointScheduler on EventBridge Scheduler: one one-time `at()` schedule per timer in a dedicated group,
// deleted by Scheduler after delivery, retried and dead-lettered on failure.
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  UpdateScheduleCommand,
  type SchedulerClient,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import type { CheckpointScheduler } from '#ports/checkpoint-scheduler';
import type { Timer } from '#domain/timers';

export interface EventBridgeSchedulerOptions {
  groupName: string;
  /** The checkpoint function the schedules invoke. */
  targetArn: string;
  /** The execution role Scheduler assumes to invoke it and to write the dead-letter queue. */
  roleArn: string;
  deadLetterArn: string;
  /** Delivery retries before the dead-letter queue (Scheduler allows 0–185). */
  maximumRetryAttempts?: number;
  /** How long Scheduler keeps retrying a delivery (60–86,400 s). */
  maximumEventAgeSeconds?: number;
}

/**
 * Scheduler refuses an `at()` in the past, so a timer due within this lead is set this far ahead: it fires
 * at most this late (Scheduler's own precision is one minute), and never early.
 */
export const MIN_LEAD_MS = 60_000;

/** `at(yyyy-mm-ddThh:mm:ss)` in UTC; Scheduler ignores sub-seconds, so round up rather than fire early. */
export const atExpression = (at: string, nowMs: number = Date.now()): string => {
  const ms = Math.max(Date.parse(at), nowMs + MIN_LEAD_MS);
  return `at(${new Date(Math.ceil(ms / 1000) * 1000).toISOString().slice(0, 19)})`;
};

export class EventBridgeCheckpointScheduler implements CheckpointScheduler {
  constructor(
    private readonly client: SchedulerClient,
    private readonly opts: EventBridgeSchedulerOptions,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** Exposed for the tests and the benchmark: exactly what one schedule is. */
  scheduleInput(timer: Timer): CreateScheduleCommandInput {
    return {
      Name: timer.name,
      GroupName: this.opts.groupName,
      ScheduleExpression: atExpression(timer.at, this.nowMs()),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Description: `${timer.kind}${timer.percent ? ` ${timer.percent}%` : ''} of case ${timer.caseId}, cycle ${timer.cycle}`,
      Target: {
        Arn: this.opts.targetArn,
        RoleArn: this.opts.roleArn,
        Input: JSON.stringify(timer),
        RetryPolicy: { MaximumRetryAttempts: this.opts.maximumRetryAttempts ?? 10, MaximumEventAgeInSeconds: this.opts.maximumEventAgeSeconds ?? 86_400 },
        DeadLetterConfig: { Arn: this.opts.deadLetterArn },
      },
    };
  }

  async upsert(timer: Timer): Promise<'created' | 'updated'> {
    const input = this.scheduleInput(timer);
    try {
      await this.client.send(new CreateScheduleCommand(input));
      return 'created';
    } catch (err) {
      // The schedule exists: a redelivered stream record, or a time moved by a resume. Set it to this timer.
      if (!(err instanceof ConflictException)) throw err;
    }
    await this.client.send(new UpdateScheduleCommand(input));
    return 'updated';
  }

  async remove(name: string): Promise<void> {
    try {
      await this.client.send(new DeleteScheduleCommand({ Name: name, GroupName: this.opts.groupName }));
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
    }
  }
}
