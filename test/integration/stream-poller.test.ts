// The local event source mapping reads the cases table's stream as Lambda's does, and an idle drain (every clock move
// and settle drains) costs one GetRecords: it reads on with the iterator the last drain was given and the shards it
// described, instead of describing the stream and asking for an iterator each time. Records written between drains
// still arrive once and in order, a kept iterator refused (expired, or as trimmed) is replaced within the same drain, and a restarted poller
// resumes from its saved position.
import { ExpiredIteratorException, TrimmedDataAccessException, type DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { keys } from '#adapters/aws/dynamo/table-model';
import { createTestTables, rawDocClient, testEndpoint } from '../support/dynamo';
import { localDynamoClient } from '../../infra/local/dynamodb-local';
import { lambdaContext } from '../../infra/local/server';
import { StreamPages, StreamPoller, type StreamHandler } from '../../infra/local/stream-poller';
import { localStreamsClient } from '../../infra/local/streams-codec';

const doc = rawDocClient();
const raw = localDynamoClient(testEndpoint());

/** A handler that records each delivered item's `n`, in delivery order. */
const recorder = (): { handler: StreamHandler; seen: number[] } => {
  const seen: number[] = [];
  const handler: StreamHandler = async (event: DynamoDBStreamEvent) => {
    await Promise.resolve();
    seen.push(...event.Records.map((r) => Number(r.dynamodb?.NewImage?.n?.N)));
  };
  return { handler, seen };
};

const put = (tableName: string, caseId: string, n: number) => doc.send(new PutCommand({ TableName: tableName, Item: { ...keys.case(caseId), n } }));

const pollerOn = (tables: { cases: string; local: string }, handler: StreamHandler, extra: { streams?: DynamoDBStreamsClient; pages?: StreamPages; consumer?: string } = {}) =>
  new StreamPoller({ endpoint: testEndpoint(), region: 'local', tableName: tables.cases, stateTable: tables.local, dynamo: raw, doc, handler: () => handler, context: (n) => lambdaContext(n), ...extra });

describe('the local stream poller', () => {
  it('describes the stream and takes an iterator once; each later drain is one GetRecords, and delivers what arrived meanwhile in order', async () => {
    const tables = await createTestTables();
    const { handler, seen } = recorder();
    const poller = pollerOn(tables, handler);
    await put(tables.cases, 'SP1', 1);
    expect(await poller.drain()).toBe(1);
    expect(poller.calls).toEqual({ describeStream: 1, getShardIterator: 1, getRecords: 2 }); // the record, then caught up
    for (let i = 0; i < 5; i++) expect(await poller.drain()).toBe(0);
    expect(poller.calls).toEqual({ describeStream: 1, getShardIterator: 1, getRecords: 7 });
    await put(tables.cases, 'SP1', 2);
    await put(tables.cases, 'SP2', 3);
    expect(await poller.drain()).toBe(2);
    await put(tables.cases, 'SP1', 4);
    expect(await poller.drain()).toBe(1);
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(poller.calls.describeStream).toBe(1);
    expect(poller.calls.getShardIterator).toBe(1);
    poller.close();
  });

  it.each([
    ['expired', () => new ExpiredIteratorException({ message: 'Iterator expired', $metadata: { httpStatusCode: 400 } })],
    ['refused as reading past the oldest record', () => new TrimmedDataAccessException({ message: 'The operation attempted to read past the oldest stream record in a shard.', $metadata: { httpStatusCode: 400 } })],
  ])('replaces a kept iterator %s within the same drain, so the records written meanwhile are not left for a later one', async (_what, refusal) => {
    const tables = await createTestTables();
    const { handler, seen } = recorder();
    const streams = localStreamsClient({ endpoint: testEndpoint(), region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    // DynamoDB Local expires an iterator after 15 minutes of real time, and refused a kept one as trimmed once under a
    // full run's load: the next GetRecords meets that error once armed.
    let refuseNext = false;
    streams.middlewareStack.add(
      (next, context) => async (args) => {
        if (refuseNext && context.commandName === 'GetRecordsCommand') {
          refuseNext = false;
          throw refusal();
        }
        return next(args);
      },
      { step: 'initialize', name: 'refuseOnce' },
    );
    const poller = pollerOn(tables, handler, { streams });
    await put(tables.cases, 'SPX', 1);
    expect(await poller.drain()).toBe(1);
    await put(tables.cases, 'SPX', 2);
    refuseNext = true;
    expect(await poller.drain()).toBe(1);
    expect(refuseNext).toBe(false);
    expect(seen).toEqual([1, 2]);
    expect(poller.calls.getShardIterator).toBe(2); // the first, and the one replacing the refused iterator
    poller.close();
  });

  it('two consumers sharing pages each get every record once; a restarted consumer resumes after its saved position', async () => {
    const tables = await createTestTables();
    const pages = new StreamPages();
    const a = recorder();
    const b = recorder();
    const first = pollerOn(tables, a.handler, { pages });
    const second = pollerOn(tables, b.handler, { pages, consumer: 'reports' });
    for (let n = 1; n <= 3; n++) await put(tables.cases, `SPS${n}`, n);
    await Promise.all([first.drain(), second.drain()]);
    await put(tables.cases, 'SPS1', 4);
    await Promise.all([first.drain(), second.drain()]);
    await Promise.all([first.drain(), second.drain()]);
    expect(a.seen).toEqual([1, 2, 3, 4]);
    expect(b.seen).toEqual([1, 2, 3, 4]);
    first.close();
    // A restart: a new poller of the same consumer reads its saved position, describes the stream afresh, and
    // delivers only what came after it.
    await put(tables.cases, 'SPS2', 5);
    const restarted = recorder();
    const again = pollerOn(tables, restarted.handler);
    expect(await again.drain()).toBe(1);
    expect(restarted.seen).toEqual([5]);
    expect(again.calls.describeStream).toBe(1);
    again.close();
    second.close();
  });
});
