// The local event source mapping: reads the cases table's DynamoDB Local stream with the Streams API and
// invokes the same stream handler Lambda runs, with the same event shape, in order, honouring partial batch
// failures (ReportBatchItemFailures). Positions persist in the local table, so a restart resumes, not replays.
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type Shard,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { localKeys } from '#adapters/local/local-scheduler';

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
  /** Like the mapping's retryAttempts: a record failing this often is skipped (and logged), not retried forever. */
  maxAttempts?: number;
  batchSize?: number;
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
 * the table itself) say `{"M":{}}`. Restore the type so the handler sees what it sees in AWS.
 */
const typed = (value: unknown): unknown => {
  if (!value || typeof value !== 'object') return value;
  const v = value as Record<string, unknown>;
  if (Object.keys(v).length === 0) return { M: {} };
  if (v.M && typeof v.M === 'object') return { M: Object.fromEntries(Object.entries(v.M).map(([k, x]) => [k, typed(x)])) };
  if (Array.isArray(v.L)) return { L: v.L.map(typed) };
  return v;
};
const image = (img: unknown): Image => (img ? (Object.fromEntries(Object.entries(img).map(([k, x]) => [k, typed(x)])) as Image) : undefined);

export class StreamPoller {
  private readonly streams: DynamoDBStreamsClient;
  private streamArn: string | undefined;
  private readonly positions = new Map<string, Position>();
  private readonly failures = new Map<string, number>();
  /** Records handed to the handler, for the benchmark and the log. */
  delivered = 0;

  constructor(private readonly opts: StreamPollerOptions) {
    this.streams = new DynamoDBStreamsClient({ endpoint: opts.endpoint, region: opts.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  }

  close(): void {
    this.streams.destroy();
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

  /** Reads every shard to its current end, handing batches to the handler; returns the records delivered. */
  async drain(): Promise<number> {
    const arn = await this.arn();
    let total = 0;
    for (const shard of await this.shards(arn)) {
      const shardId = shard.ShardId;
      if (!shardId) continue;
      const p = await this.position(shardId);
      if (p.done) continue;
      let it = await this.iterator(arn, shardId, p);
      while (it) {
        let out;
        try {
          out = await this.streams.send(new GetRecordsCommand({ ShardIterator: it, Limit: this.opts.batchSize ?? BATCH }));
        } catch (err) {
          if (err instanceof ExpiredIteratorException) break; // next drain takes a fresh iterator
          throw err;
        }
        const records = out.Records ?? [];
        if (!records.length) {
          // A closed shard read to its end is finished for good; an open one is caught up for now.
          if (!out.NextShardIterator) await this.save(shardId, { ...p, done: true });
          break;
        }
        const handled = await this.deliver(arn, records);
        total += handled.count;
        if (handled.lastSeq) {
          p.seq = handled.lastSeq;
          await this.save(shardId, { seq: handled.lastSeq });
        }
        if (handled.stopped) break; // retry from the failed record on the next drain
        it = out.NextShardIterator;
      }
    }
    return total;
  }

  /** One handler invocation; returns how far the position may advance. */
  private async deliver(arn: string, records: _Record[]): Promise<{ count: number; lastSeq?: string; stopped: boolean }> {
    const event: DynamoDBStreamEvent = { Records: records.map((r) => this.lambdaRecord(arn, r)) };
    const seqs = event.Records.map((r) => r.dynamodb?.SequenceNumber ?? '');
    let failedAt: number | undefined;
    try {
      const res = await this.opts.handler()(event, this.opts.context(this.opts.consumer ?? 'case-stream'));
      const ids = new Set((res?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      const i = seqs.findIndex((s) => ids.has(s));
      failedAt = i >= 0 ? i : undefined;
    } catch (err) {
      this.opts.log?.(`stream handler failed: ${(err as Error).message}`);
      failedAt = 0;
    }
    this.delivered += event.Records.length;
    if (failedAt === undefined) return { count: records.length, lastSeq: seqs[seqs.length - 1], stopped: false };
    const failedSeq = seqs[failedAt] ?? '';
    const attempts = (this.failures.get(failedSeq) ?? 0) + 1;
    this.failures.set(failedSeq, attempts);
    if (attempts >= (this.opts.maxAttempts ?? 5)) {
      // Like the mapping's on-failure destination: give up on this record, keep the stream moving.
      this.opts.log?.(`stream record ${failedSeq} failed ${attempts} times: skipped`);
      this.failures.delete(failedSeq);
      return { count: failedAt + 1, lastSeq: failedSeq, stopped: true };
    }
    return { count: failedAt, ...(failedAt > 0 ? { lastSeq: seqs[failedAt - 1] } : {}), stopped: true };
  }
}
