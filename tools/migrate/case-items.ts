// The one-off migration of an existing cases table to the compact case item (shared/adapters/aws/dynamo/case-codec.ts):
// every case item whose `case` is still the old DynamoDB map is rewritten with the case compressed into one Binary and
// the fields expressions need beside it. `npm run migrate` (scripts/migrate.ts) runs it; docs/deploy.md has the steps.
//
// An operator's tool, never a request path: it reads the table with a parallel Scan (a one-off pass over every item;
// the no-Scan rule of ARCHITECTURE.md and test/integration/no-scan.test.ts covers the routes and jobs, and no function
// role is granted dynamodb:Scan). It is:
// - safe beside live traffic: each item is rewritten by an UpdateItem that holds only if the item is still at the
//   version and audit head it was read at and still in the old form, and it sets only the case's own attributes; a
//   change that lands in between wins, and the item is read again (and rewritten if that change kept the old form);
// - resumable: after each page the cursor (each segment's ExclusiveStartKey) is handed to `onProgress` to be saved,
//   and a run started from it carries on where that one stopped;
// - idempotent: the Scan's filter returns old-form case items only, so a second run rewrites nothing;
// - rate-limited: at most `writesPerSecond` rewrites a second across all segments (each rewrite costs the item's
//   write units in the table and in each index that projects it).
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CASE_ATTR, CASE_FIELD_ATTRS, caseOfItem, encodeCase, storedCaseForm } from '#adapters/aws/dynamo/case-codec';
import { keys } from '#adapters/aws/dynamo/table-model';

type Key = Record<string, unknown>;

/** Where a run stands: per Scan segment, the key to start after (`null`: from the start; `'done'`: read to its end). */
export interface MigrationCursor {
  segments: number;
  positions: (Key | null | 'done')[];
}

export interface MigrationCounts {
  /** Old-form case items the Scan returned. */
  found: number;
  /** Rewritten to the new form. */
  rewritten: number;
  /** Changed by someone else between the read and the rewrite, and found in the new form on the second read. */
  changedConcurrently: number;
  /** Gone when read again (deleted in between). */
  gone: number;
  /** Items the Scan read, of every kind (what the pass costs in read units). */
  scanned: number;
}

export interface MigrationProgress extends MigrationCounts {
  cursor: MigrationCursor;
  /** The segment whose page just finished. */
  segment: number;
}

export interface MigrationOptions {
  tableName: string;
  /** Parallel Scan segments (default 4). A resumed run uses the cursor's. */
  segments?: number;
  /** Items a Scan page reads at most (default 100). */
  pageSize?: number;
  /** Rewrites a second at most, across segments (default 25). */
  writesPerSecond?: number;
  /** Where to start: a cursor a previous run saved. */
  cursor?: MigrationCursor;
  /** After every page: the counts so far and the cursor to save (awaited before the next page of that segment). */
  onProgress?: (p: MigrationProgress) => void | Promise<void>;
  /** Before each rewrite (tests use it to change an item between the read and the write). */
  beforeRewrite?: (item: Key) => void | Promise<void>;
  /** How to wait (tests: no real waiting). */
  sleep?: (ms: number) => Promise<void>;
  /** A monotonic clock in ms, for the rate limit (not the date). */
  nowMs?: () => number;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** At most `perSecond` grants a second, spaced evenly; shared by the segments. */
const rateLimiter = (perSecond: number, nowMs: () => number, sleep: (ms: number) => Promise<void>) => {
  const gap = perSecond > 0 ? 1000 / perSecond : 0;
  let next = nowMs();
  return async () => {
    const now = nowMs();
    const at = Math.max(now, next);
    next = at + gap;
    if (at > now) await sleep(at - now);
  };
};

/** Rewrites: up to this many reads again after a concurrent change that kept the old form (an old writer still running). */
const MAX_ATTEMPTS = 5;

export const validCursor = (c: unknown): c is MigrationCursor => {
  if (!c || typeof c !== 'object') return false;
  const { segments, positions } = c as Partial<MigrationCursor>;
  return typeof segments === 'number' && Number.isInteger(segments) && segments > 0 && Array.isArray(positions) && positions.length === segments && positions.every((p) => p === null || p === 'done' || (typeof p === 'object' && !Array.isArray(p)));
};

/** Rewrites every old-form case item of the table; returns the counts and the final cursor (every segment done). */
export const migrateCaseItems = async (doc: DynamoDBDocumentClient, opts: MigrationOptions): Promise<MigrationProgress> => {
  const segments = opts.cursor?.segments ?? opts.segments ?? 4;
  const positions: MigrationCursor['positions'] = opts.cursor ? [...opts.cursor.positions] : Array.from({ length: segments }, () => null);
  const counts: MigrationCounts = { found: 0, rewritten: 0, changedConcurrently: 0, gone: 0, scanned: 0 };
  const sleep = opts.sleep ?? realSleep;
  const nowMs = opts.nowMs ?? (() => performance.now());
  const take = rateLimiter(opts.writesPerSecond ?? 25, nowMs, sleep);
  const snapshot = (segment: number): MigrationProgress => ({ ...counts, segment, cursor: { segments, positions: [...positions] } });

  /** One old-form item brought to the new form, unless a concurrent change already did (or removed it). */
  const rewrite = async (first: Key): Promise<void> => {
    let item: Key | undefined = first;
    for (let attempt = 1; item; attempt++) {
      if (storedCaseForm(item[CASE_ATTR]) !== 'map') {
        counts.changedConcurrently += 1;
        return;
      }
      await opts.beforeRewrite?.(item);
      await take();
      const c = caseOfItem(item);
      try {
        await doc.send(
          new UpdateCommand({
            TableName: opts.tableName,
            Key: keys.case(c.id),
            UpdateExpression: 'SET #case = :case, #status = :status, #category = :category, #regime = :regime, #ownerId = :ownerId',
            // Only the item as read: same version, same audit head (a bookkeeping event moves the head, not the
            // version), still the old form. Anything else is a change that must not be overwritten.
            ConditionExpression: '#version = :version AND #headSeq = :headSeq AND attribute_type(#case, :map)',
            ExpressionAttributeNames: {
              '#case': CASE_ATTR,
              '#status': CASE_FIELD_ATTRS.status,
              '#category': CASE_FIELD_ATTRS.category,
              '#regime': CASE_FIELD_ATTRS.regime,
              '#ownerId': CASE_FIELD_ATTRS.ownerId,
              '#version': 'version',
              '#headSeq': 'headSeq',
            },
            ExpressionAttributeValues: {
              ':case': encodeCase(c),
              ':status': c.status,
              ':category': c.category,
              ':regime': c.regime,
              ':ownerId': c.ownerId,
              ':version': item.version,
              ':headSeq': item.headSeq,
              ':map': 'M',
            },
          }),
        );
        counts.rewritten += 1;
        return;
      } catch (err) {
        if (!(err instanceof ConditionalCheckFailedException) || attempt >= MAX_ATTEMPTS) throw err;
      }
      // Changed since the read: read it again and decide from what is there now.
      item = (await doc.send(new GetCommand({ TableName: opts.tableName, Key: keys.case(c.id), ConsistentRead: true }))).Item;
    }
    counts.gone += 1;
  };

  const runSegment = async (segment: number): Promise<void> => {
    for (;;) {
      const at = positions[segment];
      if (at === 'done') return;
      const page = await doc.send(
        new ScanCommand({
          TableName: opts.tableName,
          Segment: segment,
          TotalSegments: segments,
          Limit: opts.pageSize ?? 100,
          // Case items still in the old form only: a second run, or a resumed one, reads past the rest.
          FilterExpression: '#sk = :caseSk AND attribute_type(#case, :map)',
          ExpressionAttributeNames: { '#sk': 'SK', '#case': CASE_ATTR },
          ExpressionAttributeValues: { ':caseSk': keys.caseSk, ':map': 'M' },
          ConsistentRead: true,
          ...(at ? { ExclusiveStartKey: at } : {}),
        }),
      );
      counts.scanned += page.ScannedCount ?? 0;
      for (const item of page.Items ?? []) {
        counts.found += 1;
        await rewrite(item);
      }
      positions[segment] = page.LastEvaluatedKey ?? 'done';
      await opts.onProgress?.(snapshot(segment));
    }
  };

  await Promise.all(Array.from({ length: segments }, (_, s) => runSegment(s)));
  return snapshot(segments - 1);
};
