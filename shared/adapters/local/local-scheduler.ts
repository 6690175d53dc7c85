// The embedded stack's EventBridge Scheduler: one-time schedules persisted in a DynamoDB Local table, fired
// through the same checkpoint handler at least once (delete after a successful delivery), retried, and
// dead-lettered after `maxAttempts`, like the real one. Never deployed: AWS uses EventBridge Scheduler.
import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { CheckpointScheduler } from '#ports/checkpoint-scheduler';
import type { Timer } from '#domain/timers';
import type { TableDef } from '#adapters/aws/dynamo/table-model';
import { atLocalBoundary } from './local-boundary';

/** The local-only table: schedules, dead letters and the stream poller's positions. */
export const LOCAL_TABLE: TableDef = {
  partitionKey: { name: 'PK', type: 'S' },
  sortKey: { name: 'SK', type: 'S' },
  indexes: [],
  stream: false,
};

export const localKeys = {
  schedulePk: (group: string) => `SCHEDULE#${group}`,
  deadLetterPk: (group: string) => `DLQ#${group}`,
  streamPk: (table: string) => `STREAM#${table}`,
} as const;

export interface Fired {
  name: string;
  caseId: string;
  kind: Timer['kind'];
  percent?: number;
  /** When the schedule was due and when it was delivered, on the local clock. */
  at: string;
  firedAt: string;
  latenessMs: number;
  result: unknown;
}

export interface LocalSchedulerOptions {
  tableName: string;
  group?: string;
  /** Deliveries tried before a schedule goes to the dead letters (EventBridge Scheduler: MaximumRetryAttempts + 1). */
  maxAttempts?: number;
  /**
   * Cases whose due schedules are delivered at the same time (default 32). EventBridge Scheduler invokes the target for
   * each schedule independently; one at a time, a local day's move over a thousand open cases took minutes, and eight
   * at a time, under the chaos test's throttles (each delivery mostly waits out the SDK's backoff), sixty days did.
   */
  concurrency?: number;
}

interface ScheduleItem {
  PK: string;
  SK: string;
  at: string;
  timer: Timer;
  attempts?: number;
  lastError?: string;
}

export class LocalScheduler implements CheckpointScheduler {
  readonly calls = { created: 0, updated: 0, deleted: 0 };
  private readonly group: string;
  private readonly maxAttempts: number;
  private readonly concurrency: number;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly opts: LocalSchedulerOptions,
  ) {
    this.group = opts.group ?? 'case-timers';
    this.maxAttempts = opts.maxAttempts ?? 3;
    this.concurrency = Math.max(1, opts.concurrency ?? 32);
  }

  async upsert(timer: Timer): Promise<'created' | 'updated'> {
    atLocalBoundary('scheduler', 'CreateSchedule');
    const out = await this.doc.send(
      new PutCommand({
        TableName: this.opts.tableName,
        Item: { PK: localKeys.schedulePk(this.group), SK: timer.name, at: timer.at, timer, attempts: 0 } satisfies ScheduleItem,
        ReturnValues: 'ALL_OLD',
      }),
    );
    const kind = out.Attributes ? 'updated' : 'created';
    this.calls[kind]++;
    return kind;
  }

  async remove(name: string): Promise<void> {
    atLocalBoundary('scheduler', 'DeleteSchedule');
    this.calls.deleted++;
    await this.doc.send(new DeleteCommand({ TableName: this.opts.tableName, Key: { PK: localKeys.schedulePk(this.group), SK: name } }));
  }

  /** Every pending schedule, earliest first. */
  async pending(): Promise<Timer[]> {
    return (await this.query(localKeys.schedulePk(this.group))).map((i) => i.timer).sort((a, b) => a.at.localeCompare(b.at));
  }

  async deadLetters(): Promise<{ timer: Timer; lastError?: string }[]> {
    return (await this.query(localKeys.deadLetterPk(this.group))).map((i) => ({ timer: i.timer, ...(i.lastError ? { lastError: i.lastError } : {}) }));
  }

  /**
   * Puts every dead-lettered schedule back (fresh attempts, same due time, so it fires on the next round) unless the
   * case has since set a schedule of that name; the checkpoint handler is idempotent per timer, so a replay of one
   * that did take effect changes nothing.
   */
  async replayDeadLetters(): Promise<{ replayed: number }> {
    const items = await this.query(localKeys.deadLetterPk(this.group));
    for (const item of items) {
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.opts.tableName,
            Item: { PK: localKeys.schedulePk(this.group), SK: item.timer.name, at: item.timer.at, timer: item.timer, attempts: 0 } satisfies ScheduleItem,
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        );
      } catch (err) {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
      }
      await this.doc.send(new DeleteCommand({ TableName: this.opts.tableName, Key: { PK: item.PK, SK: item.SK } }));
    }
    return { replayed: items.length };
  }

  private async query(pk: string, dueBy?: string): Promise<ScheduleItem[]> {
    const items: ScheduleItem[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.opts.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': pk, ...(dueBy ? { ':now': dueBy } : {}) },
          ...(dueBy ? { FilterExpression: '#at <= :now', ExpressionAttributeNames: { '#at': 'at' } } : {}),
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...((out.Items ?? []) as ScheduleItem[]));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /**
   * Delivers every schedule due at `now` to `deliver`, then deletes it (ActionAfterCompletion DELETE) unless it was
   * moved meanwhile. A failed delivery stays for the next round until `maxAttempts`. Up to `concurrency` cases are
   * delivered at once; one case's schedules go one after another, earliest first (50 % before 75 % before breach, as
   * the checkpoint handler expects of a case logged long after receipt). The result lists them earliest first.
   */
  async fireDue(now: () => string, deliver: (t: Timer) => Promise<unknown>): Promise<Fired[]> {
    const due = (await this.query(localKeys.schedulePk(this.group), now())).sort((a, b) => a.at.localeCompare(b.at));
    const byCase = new Map<string, { item: ScheduleItem; index: number }[]>();
    due.forEach((item, index) => {
      const group = byCase.get(item.timer.caseId);
      if (group) group.push({ item, index });
      else byCase.set(item.timer.caseId, [{ item, index }]);
    });
    const results: (Fired | undefined)[] = new Array<Fired | undefined>(due.length);
    const groups = [...byCase.values()];
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let g = groups[next++]; g; g = groups[next++]) for (const { item, index } of g) results[index] = await this.fireOne(item, now, deliver);
    };
    // Every worker finishes before a failure of the stand-in's own bookkeeping is thrown: none is left running.
    const failed = (await Promise.allSettled(Array.from({ length: Math.min(this.concurrency, groups.length) }, worker))).find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return results.filter((f): f is Fired => f !== undefined);
  }

  /** One schedule: delivered and deleted (undefined if the delivery failed and was recorded as an attempt). */
  private async fireOne(item: ScheduleItem, now: () => string, deliver: (t: Timer) => Promise<unknown>): Promise<Fired | undefined> {
    let result: unknown;
    try {
      result = await deliver(item.timer);
    } catch (err) {
      await this.failed(item, err as Error);
      return undefined;
    }
    const firedAt = now();
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.opts.tableName,
          Key: { PK: item.PK, SK: item.SK },
          ConditionExpression: '#at = :at',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':at': item.at },
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
    const t = item.timer;
    return {
      name: t.name,
      caseId: t.caseId,
      kind: t.kind,
      ...(t.percent ? { percent: t.percent } : {}),
      at: t.at,
      firedAt,
      latenessMs: Date.parse(firedAt) - Date.parse(t.at),
      result,
    };
  }

  private async failed(item: ScheduleItem, err: Error): Promise<void> {
    const attempts = (item.attempts ?? 0) + 1;
    if (attempts < this.maxAttempts) {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.opts.tableName,
          Key: { PK: item.PK, SK: item.SK },
          UpdateExpression: 'SET attempts = :n, lastError = :e',
          ExpressionAttributeValues: { ':n': attempts, ':e': err.message },
        }),
      );
      return;
    }
    await this.doc.send(
      new PutCommand({ TableName: this.opts.tableName, Item: { PK: localKeys.deadLetterPk(this.group), SK: `${item.at}#${item.SK}`, at: item.at, timer: item.timer, attempts, lastError: err.message } }),
    );
    await this.doc.send(new DeleteCommand({ TableName: this.opts.tableName, Key: { PK: item.PK, SK: item.SK } }));
  }
}
