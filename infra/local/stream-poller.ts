// The local event source mapping: reads the cases table's DynamoDB Local stream with the Streams API and
// invokes the same stream handler Lambda runs, with the same event shape, in order, honouring partial batch
// failures (ReportBatchItemFailures). Positions persist in the local table, so a restart resumes, not replays.
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type Shard,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { localKeys } from '#adapters/local/local-scheduler';
import { withoutSdkLogger } from '#adapters/aws/sdk-client';
import { localStreamsClient } from './streams-codec';

export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse | void>;

export interface StreamPollerOptions {
  endpoint: string;
  region: string;
  tableName: string;
  /** The local table that keeps the positions. */
  stateTable: string;
  dynamo: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  handler: () => StreamHandler;
  /**
   * The consumer's name, like one event source mapping of the stream: each keeps its own positions. The first
   * consumer (case-stream) has none, so positions saved before there were two still apply to it.
   */
  consumer?: string;
  context: (name: string) => Context;
  /**
   * Like the mapping's retryAttempts (IN_ORDER_STREAM: 10 retries, so 11 attempts by default): a record failing this
   * often goes to this consumer's dead letters (as the mapping's on-failure destination), listed and replayable.
   */
  maxAttempts?: number;
  batchSize?: number;
  /**
   * Handler invocations per page, side by side (default 1: the whole page in one). In AWS a table's stream has a shard
   * per partition and the mapping reads them all at once, one batch per shard at a time; DynamoDB Local's stream has
   * one shard. So a page is split by partition key into this many lanes, each key's records in one lane in stream
   * order (a case's changes still apply in order), as shards would split them.
   */
  lanes?: number;
  /**
   * Times a failed record is handed to the handler again within one drain (default 0: the next drain retries it), as
   * the mapping retries a failed batch at once; each counts towards `maxAttempts`, the last is always a drain's.
   */
  retriesInDrain?: number;
  /** Pages read from the stream, shared with the other consumers of the same table (each still keeps its own positions). */
  pages?: StreamPages;
  log?: (line: string) => void;
}

interface Position {
  seq?: string;
  done?: boolean;
}

const BATCH = 100;

type Image = NonNullable<DynamoDBRecord['dynamodb']>['NewImage'];

/**
 * The Streams API of DynamoDB Local returns an empty map attribute as `{}` with no type; Lambda's event (and
 * the table itself) say `{"M":{}}`. Restore the type so the handler sees what it sees in AWS. A Binary value comes
 * from the SDK as bytes; Lambda's event JSON carries it as base64 (the stored case, #adapters/aws/dynamo/case-codec): so here too. In
 * place: the attribute values are the freshly deserialised response's own, and only these change.
 */
const retype = (values: Record<string, unknown> | unknown[]): void => {
  for (const value of Object.values(values)) {
    if (!value || typeof value !== 'object') continue;
    const v = value as { M?: unknown; L?: unknown; B?: unknown };
    if (v.B instanceof Uint8Array) v.B = Buffer.from(v.B.buffer, v.B.byteOffset, v.B.byteLength).toString('base64');
    else if (v.M && typeof v.M === 'object') retype(v.M as Record<string, unknown>);
    else if (Array.isArray(v.L)) retype(v.L);
    else if (Object.keys(v).length === 0) v.M = {};
  }
};
const image = (img: Record<string, unknown> | undefined): Image => {
  if (!img) return undefined;
  retype(img);
  return img as Image;
};

/** One GetRecords page: its records and the iterator after them (absent: the shard is closed and read to its end). */
interface Page {
  records: _Record[];
  next?: string;
}

/**
 * The pages of one table's stream, read once for all its local consumers. In AWS each event source mapping reads the
 * stream itself; here every read is a DynamoDB Local call plus the SDK's deserialisation of a page of item images, so
 * the consumers share them: a page is keyed by the shard and the sequence number it follows, kept (non-empty pages only)
 * until every consumer has taken it, and read once however many ask for it at the same time. A consumer behind the
 * others finds its next pages here; an evicted page is simply read again. Each consumer after the first gets its own
 * copy of the records, as each Lambda invocation gets its own event.
 */
export class StreamPages {
  /** Each page with a copy of its records taken as it arrived, before any consumer's handler could change them. */
  private readonly pages = new Map<string, { page: Promise<Page & { pristine?: _Record[] }>; taken: number }>();
  /** GetRecords calls made and pages served from here (the tests and the log read them). */
  reads = 0;
  shared = 0;

  /** Consumers reading through these pages: each poller given them joins (a page is kept until all have taken it). */
  private consumers = 0;

  constructor(private readonly maxPages = 100) {}

  join(): void {
    this.consumers++;
  }

  /** The page after `after` (a sequence number; none: the shard's start) of `shardId`, read by `fetch` if nobody has. */
  async take(shardId: string, after: string | undefined, fetch: () => Promise<Page>): Promise<Page> {
    const key = `${shardId} ${after ?? 'TRIM_HORIZON'}`;
    let entry = this.pages.get(key);
    const first = !entry;
    if (!entry) {
      this.reads++;
      // The first taker gets the records themselves; the others copy the pristine ones (copying when they take the
      // page could copy what the first consumer's handler had already changed in its event).
      entry = { page: fetch().then((p) => (this.consumers > 1 && p.records.length ? { ...p, pristine: structuredClone(p.records) } : p)), taken: 0 };
      this.pages.set(key, entry);
      if (this.pages.size > this.maxPages) this.pages.delete(this.pages.keys().next().value as string);
    } else this.shared++;
    let page: Page & { pristine?: _Record[] };
    try {
      page = await entry.page;
    } catch (err) {
      if (this.pages.get(key) === entry) this.pages.delete(key);
      throw err;
    }
    entry.taken++;
    // An empty page (caught up) is never kept: records may arrive any moment.
    if ((!page.records.length || entry.taken >= this.consumers) && this.pages.get(key) === entry) this.pages.delete(key);
    const next = page.next ? { next: page.next } : {};
    return first ? { records: page.records, ...next } : { records: structuredClone(page.pristine ?? page.records), ...next };
  }
}

export class StreamPoller {
  private readonly streams: DynamoDBStreamsClient;
  private streamArn: string | undefined;
  private readonly positions = new Map<string, Position>();
  private readonly failures = new Map<string, number>();
  /** Records handed to the handler, for the benchmark and the log. */
  delivered = 0;
  /**
   * Batches the handler failed part of (ReportBatchItemFailures after at least one record it applied): the chaos
   * scenario counts them to show a batch failing halfway happened, and that its records still applied once each.
   */
  partialBatches = 0;

  constructor(private readonly opts: StreamPollerOptions) {
    opts.pages?.join();
    this.streams = withoutSdkLogger(localStreamsClient({ endpoint: opts.endpoint, region: opts.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
  }

  close(): void {
    this.streams.destroy();
  }

  /** The name this consumer's dead letters are kept under (the mapping's on-failure queue, locally). */
  get name(): string {
    return this.opts.consumer ?? 'case-stream';
  }

  private get deadLetterPk(): string {
    return localKeys.deadLetterPk(`stream#${this.opts.tableName}#${this.name}`);
  }

  /** The records this consumer gave up on, oldest first. */
  async deadLetters(): Promise<{ seq: string; failedAt: string; attempts: number; lastError: string; eventName?: string; keys?: unknown }[]> {
    const out = await this.opts.doc.send(new QueryCommand({ TableName: this.opts.stateTable, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': this.deadLetterPk }, ConsistentRead: true }));
    return (out.Items ?? []).map((i) => {
      const r = JSON.parse(String(i.record)) as DynamoDBRecord;
      return { seq: String(i.SK), failedAt: String(i.failedAt), attempts: Number(i.attempts), lastError: String(i.lastError), ...(r.eventName ? { eventName: r.eventName } : {}), ...(r.dynamodb?.Keys ? { keys: r.dynamodb.Keys } : {}) };
    });
  }

  /**
   * Hands every dead-lettered record to the handler again, one at a time in stream order; a record it takes leaves the
   * dead letters, one it fails stays. The handlers are idempotent per record (the same record twice is one effect).
   */
  async replayDeadLetters(): Promise<{ replayed: number; failed: number }> {
    const out = await this.opts.doc.send(new QueryCommand({ TableName: this.opts.stateTable, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': this.deadLetterPk }, ConsistentRead: true }));
    let replayed = 0;
    let failed = 0;
    for (const item of out.Items ?? []) {
      const record = JSON.parse(String(item.record)) as DynamoDBRecord;
      let ok = false;
      try {
        const res = await this.opts.handler()({ Records: [record] }, this.opts.context(this.name));
        ok = !(res?.batchItemFailures ?? []).length;
      } catch (err) {
        this.opts.log?.(`replay of stream record ${String(item.SK)} failed: ${(err as Error).message}`);
      }
      if (!ok) {
        failed++;
        continue;
      }
      await this.opts.doc.send(new DeleteCommand({ TableName: this.opts.stateTable, Key: { PK: this.deadLetterPk, SK: String(item.SK) } }));
      replayed++;
    }
    return { replayed, failed };
  }

  private async arn(): Promise<string> {
    if (!this.streamArn) {
      const out = await this.opts.dynamo.send(new DescribeTableCommand({ TableName: this.opts.tableName }));
      const arn = out.Table?.LatestStreamArn;
      if (!arn) throw new Error(`table ${this.opts.tableName} has no stream`);
      this.streamArn = arn;
    }
    return this.streamArn;
  }

  private async shards(arn: string): Promise<Shard[]> {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const out = await this.streams.send(new DescribeStreamCommand({ StreamArn: arn, ...(start ? { ExclusiveStartShardId: start } : {}) }));
      shards.push(...(out.StreamDescription?.Shards ?? []));
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    // Parents before children: a case's older records are always handled first.
    return shards.sort((a, b) => (a.SequenceNumberRange?.StartingSequenceNumber ?? '').localeCompare(b.SequenceNumberRange?.StartingSequenceNumber ?? '', 'en', { numeric: true }));
  }

  private key(shardId: string) {
    return { PK: localKeys.streamPk(this.opts.consumer ? `${this.opts.tableName}#${this.opts.consumer}` : this.opts.tableName), SK: shardId };
  }

  private async position(shardId: string): Promise<Position> {
    let p = this.positions.get(shardId);
    if (!p) {
      const out = await this.opts.doc.send(new GetCommand({ TableName: this.opts.stateTable, Key: this.key(shardId), ConsistentRead: true }));
      p = out.Item ? { ...(out.Item.seq ? { seq: String(out.Item.seq) } : {}), ...(out.Item.done ? { done: true } : {}) } : {};
      this.positions.set(shardId, p);
    }
    return p;
  }

  private async save(shardId: string, p: Position): Promise<void> {
    this.positions.set(shardId, p);
    await this.opts.doc.send(new PutCommand({ TableName: this.opts.stateTable, Item: { ...this.key(shardId), ...p } }));
  }

  private async iterator(arn: string, shardId: string, p: Position): Promise<string | undefined> {
    const from = async (type: 'TRIM_HORIZON' | 'AFTER_SEQUENCE_NUMBER') =>
      (await this.streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: type, ...(type === 'AFTER_SEQUENCE_NUMBER' ? { SequenceNumber: p.seq } : {}) }))).ShardIterator;
    if (!p.seq) return from('TRIM_HORIZON');
    try {
      return await from('AFTER_SEQUENCE_NUMBER');
    } catch (err) {
      // The saved position fell off the stream's 24 h retention: read what is left.
      if (err instanceof TrimmedDataAccessException) return from('TRIM_HORIZON');
      throw err;
    }
  }

  private lambdaRecord(arn: string, r: _Record): DynamoDBRecord {
    const d = r.dynamodb ?? {};
    const created = d.ApproximateCreationDateTime;
    return {
      eventID: r.eventID ?? '',
      eventName: r.eventName ?? 'MODIFY',
      eventVersion: r.eventVersion ?? '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: this.opts.region,
      eventSourceARN: arn,
      dynamodb: {
        ...(created ? { ApproximateCreationDateTime: Math.floor(new Date(created).getTime() / 1000) } : {}),
        // The Streams API and the Lambda event carry the same AttributeValue JSON.
        Keys: d.Keys as NonNullable<DynamoDBRecord['dynamodb']>['Keys'],
        ...(d.NewImage ? { NewImage: image(d.NewImage) } : {}),
        ...(d.OldImage ? { OldImage: image(d.OldImage) } : {}),
        ...(d.SequenceNumber ? { SequenceNumber: d.SequenceNumber } : {}),
        ...(d.SizeBytes !== undefined ? { SizeBytes: d.SizeBytes } : {}),
        StreamViewType: d.StreamViewType ?? 'NEW_AND_OLD_IMAGES',
      },
    };
  }

  private paused = false;

  /**
   * Holds the consumer back until resume(), like a disabled event source mapping: records wait in the stream and the
   * next drain after resume() reads them all. The handler then sees several changes of one case in a batch (a test
   * that seeds many changes pays one projection write per case per catch-up instead of one per change).
   */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  /** Reads every shard to its current end, handing batches to the handler; returns the records delivered. */
  async drain(): Promise<number> {
    if (this.paused) return 0;
    const arn = await this.arn();
    let total = 0;
    for (const shard of await this.shards(arn)) {
      const shardId = shard.ShardId;
      if (!shardId) continue;
      const p = await this.position(shardId);
      if (p.done) continue;
      // Our own iterator, while we read the pages ourselves; a page another consumer read leaves us without one.
      let it: string | undefined;
      for (;;) {
        let ours = false;
        const read = async (): Promise<Page> => {
          ours = true;
          const from = it ?? (await this.iterator(arn, shardId, p));
          const out = await this.streams.send(new GetRecordsCommand({ ShardIterator: from, Limit: this.opts.batchSize ?? BATCH }));
          return { records: out.Records ?? [], ...(out.NextShardIterator ? { next: out.NextShardIterator } : {}) };
        };
        let page: Page;
        try {
          page = this.opts.pages ? await this.opts.pages.take(shardId, p.seq, read) : await read();
        } catch (err) {
          if (err instanceof ExpiredIteratorException) break; // next drain takes a fresh iterator
          throw err;
        }
        if (!page.records.length) {
          // A closed shard read to its end is finished for good; an open one is caught up for now.
          if (!page.next) await this.save(shardId, { ...p, done: true });
          break;
        }
        const handled = await this.deliver(arn, page.records);
        total += handled.count;
        if (handled.lastSeq) {
          p.seq = handled.lastSeq;
          await this.save(shardId, { seq: handled.lastSeq });
        }
        if (handled.stopped || !page.next) break; // retry from the failed record on the next drain; or the shard closed
        it = ours ? page.next : undefined;
      }
    }
    return total;
  }

  /**
   * One handler invocation per lane (see `lanes`), side by side; returns how far the position may advance: up to the
   * first record any lane failed, so that record and every one after it is delivered again (a lane that went on past
   * it sees its records again, as the mapping redelivers a batch from its first failed record).
   */
  private async deliver(arn: string, records: _Record[]): Promise<{ count: number; lastSeq?: string; stopped: boolean }> {
    const all = records.map((r) => this.lambdaRecord(arn, r));
    const seqs = all.map((r) => r.dynamodb?.SequenceNumber ?? '');
    const outcomes = await Promise.all(this.lanesOf(all).map((lane) => this.invoke(all, lane)));
    let failedAt: number | undefined;
    let lastError = 'the handler reported the record as failed';
    for (const o of outcomes) {
      if (o.failedAt === undefined || (failedAt !== undefined && o.failedAt >= failedAt)) continue;
      failedAt = o.failedAt;
      lastError = o.error ?? 'the handler reported the record as failed';
    }
    this.delivered += all.length;
    if (failedAt === undefined) return { count: records.length, lastSeq: seqs[seqs.length - 1], stopped: false };
    const failedSeq = seqs[failedAt] ?? '';
    const attempts = this.failures.get(failedSeq) ?? 1;
    if (attempts >= (this.opts.maxAttempts ?? 11)) {
      // Like the mapping's on-failure destination: give up on this record, keep the stream moving, and keep the
      // record where an operator lists and replays it (GET/POST /local/dead-letters).
      this.opts.log?.(`stream record ${failedSeq} failed ${attempts} times: dead-lettered`);
      await this.opts.doc.send(
        new PutCommand({
          TableName: this.opts.stateTable,
          Item: { PK: this.deadLetterPk, SK: failedSeq, record: JSON.stringify(all[failedAt]), attempts, lastError, failedAt: new Date().toISOString() },
        }),
      );
      this.failures.delete(failedSeq);
      return { count: failedAt + 1, lastSeq: failedSeq, stopped: true };
    }
    return { count: failedAt, ...(failedAt > 0 ? { lastSeq: seqs[failedAt - 1] } : {}), stopped: true };
  }

  /**
   * The records' indexes split into lanes by partition key, each key's records in one lane in stream order: one lane
   * (the whole page) unless `lanes` > 1.
   */
  private lanesOf(records: DynamoDBRecord[]): number[][] {
    const n = Math.max(1, this.opts.lanes ?? 1);
    if (n === 1) return [records.map((_, i) => i)];
    const lanes: number[][] = Array.from({ length: n }, () => []);
    records.forEach((r, i) => lanes[laneOf(r.dynamodb?.Keys?.PK?.S ?? '', n)]!.push(i));
    return lanes.filter((lane) => lane.length);
  }

  /**
   * The lane's records to the handler; a failed record counts an attempt and, up to `retriesInDrain` times, the lane is
   * invoked again from it at once. Resolves with the index (in the page) of the record the lane stopped at, if any.
   */
  private async invoke(all: DynamoDBRecord[], lane: number[]): Promise<{ failedAt?: number; error?: string }> {
    const max = this.opts.maxAttempts ?? 11;
    let from = 0;
    let retries = 0;
    for (;;) {
      const part = from ? lane.slice(from) : lane;
      // A retry gets the records afresh, as a redelivered batch is a new event (the handler may have changed this one).
      const out = await this.invokeOnce(all, part, retries > 0);
      if (out.at === undefined) return {};
      const failedAt = part[out.at]!;
      const seq = all[failedAt]!.dynamodb?.SequenceNumber ?? '';
      const attempts = (this.failures.get(seq) ?? 0) + 1;
      this.failures.set(seq, attempts);
      // A record further on is a new one to retry (the budget is per record); the last attempt is left to the drain.
      retries = out.at > 0 ? 1 : retries + 1;
      if (retries > (this.opts.retriesInDrain ?? 0) || attempts >= max) return { failedAt, ...(out.error ? { error: out.error } : {}) };
      from += out.at;
    }
  }

  /** One invocation; the index (in `part`) of the first record it failed, if any. */
  private async invokeOnce(all: DynamoDBRecord[], part: number[], fresh: boolean): Promise<{ at?: number; error?: string }> {
    const records = part.map((i) => all[i]!);
    const event: DynamoDBStreamEvent = { Records: fresh ? structuredClone(records) : records };
    try {
      const res = await this.opts.handler()(event, this.opts.context(this.name));
      const ids = new Set((res?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      const at = event.Records.findIndex((r) => ids.has(r.dynamodb?.SequenceNumber ?? ''));
      if (at < 0) return {};
      // A batch the handler failed part of, after applying at least its first record.
      if (at > 0) this.partialBatches++;
      return { at };
    } catch (err) {
      this.opts.log?.(`stream handler failed: ${(err as Error).message}`);
      return { at: 0, error: (err as Error).message };
    }
  }
}

/** FNV-1a of the partition key, to a lane: the same key always in the same lane. */
const laneOf = (key: string, lanes: number): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % lanes;
};
