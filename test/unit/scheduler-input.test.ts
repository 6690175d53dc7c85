// The EventBridge Scheduler request for one timer (pure: no client call is made or mocked).
import fc from 'fast-check';
import { atExpression, EventBridgeCheckpointScheduler, MIN_LEAD_MS, type EventBridgeSchedulerOptions } from '#adapters/aws/scheduler';
import { timerName, type Timer } from '#domain/timers';
import { Timer as TimerSchema } from '#schemas/timer';
import { CASE_ID, NOW, TASK_ID } from './fixtures';
import { machineNowMs } from '../support/clock';

const NOW_MS = Date.parse(NOW); // 2026-03-02T09:00:00.000Z
const OPTS: EventBridgeSchedulerOptions = {
  groupName: 'complaints-case-timers',
  targetArn: 'arn:aws:lambda:eu-west-2:123456789012:function:complaints-checkpoint',
  roleArn: 'arn:aws:iam::123456789012:role/complaints-scheduler',
  deadLetterArn: 'arn:aws:sqs:eu-west-2:123456789012:complaints-timers-dlq',
};

const p50: Timer = { name: timerName(CASE_ID, 1, { kind: 'checkpoint', percent: 50 }), caseId: CASE_ID, cycle: 1, kind: 'checkpoint', percent: 50, at: '2026-03-12T13:00:00.000Z' };
const ack: Timer = { name: timerName(CASE_ID, 2, { kind: 'acknowledgement' }), caseId: CASE_ID, cycle: 2, kind: 'acknowledgement', at: '2026-03-09T17:00:00.000Z' };
const dep: Timer = { name: timerName(CASE_ID, 1, { kind: 'dependency', taskId: TASK_ID }), caseId: CASE_ID, cycle: 1, kind: 'dependency', taskId: TASK_ID, at: '2026-03-03T09:00:00.250Z' };

const scheduler = (opts: EventBridgeSchedulerOptions = OPTS, nowMs = NOW_MS) => new EventBridgeCheckpointScheduler({} as never, opts, () => nowMs);
/** The instant an `at(...)` expression stands for (Scheduler reads it in ScheduleExpressionTimezone, UTC here). */
const instantOf = (expr: string): number => {
  const m = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(expr);
  if (!m) throw new Error(`not an at() expression: ${expr}`);
  return Date.parse(`${m[1]}Z`);
};

describe('atExpression', () => {
  it('is at(yyyy-mm-ddThh:mm:ss) in UTC for a future time on the second', () => {
    expect(atExpression('2026-03-12T13:00:00.000Z', NOW_MS)).toBe('at(2026-03-12T13:00:00)');
    expect(atExpression('2026-03-12T14:00:00+01:00', NOW_MS)).toBe('at(2026-03-12T13:00:00)');
  });

  it('rounds sub-seconds up, never firing early', () => {
    expect(atExpression('2026-03-12T13:00:00.001Z', NOW_MS)).toBe('at(2026-03-12T13:00:01)');
    expect(atExpression('2026-03-12T13:00:00.999Z', NOW_MS)).toBe('at(2026-03-12T13:00:01)');
    expect(atExpression('2026-12-31T23:59:59.500Z', NOW_MS)).toBe('at(2027-01-01T00:00:00)');
  });

  it('is never in the past: a time before now + MIN_LEAD_MS is pushed to now + lead', () => {
    expect(MIN_LEAD_MS).toBe(60_000);
    expect(atExpression('2026-03-02T08:00:00.000Z', NOW_MS)).toBe('at(2026-03-02T09:01:00)'); // an hour ago
    expect(atExpression(NOW, NOW_MS)).toBe('at(2026-03-02T09:01:00)');
    expect(atExpression('2026-03-02T09:00:30.000Z', NOW_MS)).toBe('at(2026-03-02T09:01:00)'); // within the lead
    expect(atExpression('2026-03-02T09:01:00.000Z', NOW_MS)).toBe('at(2026-03-02T09:01:00)'); // exactly the lead
    expect(atExpression('2026-03-02T09:01:01.000Z', NOW_MS)).toBe('at(2026-03-02T09:01:01)'); // beyond it
    expect(atExpression('2026-03-02T08:00:00.000Z', NOW_MS + 500)).toBe('at(2026-03-02T09:01:01)'); // rounded up too
  });

  it('defaults now to the system clock', () => {
    const before = machineNowMs();
    const t = instantOf(atExpression('2000-01-01T00:00:00.000Z'));
    const after = machineNowMs();
    expect(t).toBeGreaterThanOrEqual(before + MIN_LEAD_MS);
    expect(t).toBeLessThanOrEqual(after + MIN_LEAD_MS + 1000);
  });

  it('property: the earliest whole second not before the timer and not within the lead', () => {
    const instant = fc.integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: Date.parse('2099-12-31T00:00:00Z') });
    fc.assert(
      fc.property(instant, fc.integer({ min: -10 * 86_400_000, max: 10 * 86_400_000 }), (nowMs, offset) => {
        const atIso = new Date(nowMs + offset).toISOString();
        const t = instantOf(atExpression(atIso, nowMs));
        const earliest = Math.max(nowMs + offset, nowMs + MIN_LEAD_MS);
        expect(t % 1000).toBe(0);
        expect(t).toBeGreaterThanOrEqual(earliest);
        expect(t - earliest).toBeLessThan(1000);
      }),
      { numRuns: 500 },
    );
  });
});

describe('EventBridgeCheckpointScheduler.scheduleInput', () => {
  it('is one one-time schedule in the group that deletes itself, retries and dead-letters', () => {
    expect(scheduler().scheduleInput(p50)).toEqual({
      Name: `${CASE_ID}-1-p50`,
      GroupName: 'complaints-case-timers',
      ScheduleExpression: 'at(2026-03-12T13:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Description: `checkpoint 50% of case ${CASE_ID}, cycle 1`,
      Target: {
        Arn: OPTS.targetArn,
        RoleArn: OPTS.roleArn,
        Input: JSON.stringify(p50),
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 86_400 },
        DeadLetterConfig: { Arn: OPTS.deadLetterArn },
      },
    });
  });

  it('carries the timer itself as the Input the checkpoint handler parses', () => {
    for (const t of [p50, ack, dep]) {
      const input = scheduler().scheduleInput(t);
      const payload: unknown = JSON.parse(input.Target!.Input!);
      expect(payload).toEqual(t);
      expect(TimerSchema.parse(payload)).toEqual(t);
      expect(input.Name).toBe(t.name);
      expect(input.Name).toMatch(/^[0-9A-Za-z_.-]{1,64}$/);
    }
  });

  it('describes acknowledgement and dependency timers without a percentage', () => {
    expect(scheduler().scheduleInput(ack).Description).toBe(`acknowledgement of case ${CASE_ID}, cycle 2`);
    expect(scheduler().scheduleInput(dep).Description).toBe(`dependency of case ${CASE_ID}, cycle 1`);
  });

  it('rounds a sub-second timer up and pushes a due timer to now + lead, using the injected clock', () => {
    expect(scheduler().scheduleInput(dep).ScheduleExpression).toBe('at(2026-03-03T09:00:01)');
    const late = scheduler(OPTS, Date.parse('2026-03-20T10:15:30.000Z'));
    expect(late.scheduleInput(p50).ScheduleExpression).toBe('at(2026-03-20T10:16:30)');
    // The Input still carries the timer's own time: the handler judges it against the case.
    expect(JSON.parse(late.scheduleInput(p50).Target!.Input!)).toMatchObject({ at: p50.at });
  });

  it('takes the retry policy from the options', () => {
    const custom = scheduler({ ...OPTS, maximumRetryAttempts: 185, maximumEventAgeSeconds: 3600 });
    expect(custom.scheduleInput(p50).Target?.RetryPolicy).toEqual({ MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 3600 });
    const none = scheduler({ ...OPTS, maximumRetryAttempts: 0 });
    expect(none.scheduleInput(p50).Target?.RetryPolicy).toEqual({ MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 86_400 });
  });
});
