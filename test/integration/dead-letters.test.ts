// Dead letters of the local stand-ins are kept, listed and replayable: a stream record the handler keeps failing goes
// to its consumer's dead letters after the mapping's 11 attempts (it used to be skipped after 5 and lost), a dead
// timer is put back on replay, and GET/POST /local/dead-letters list and replay both on the running stack.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { LocalScheduler } from '#adapters/local/local-scheduler';
import { keys } from '#adapters/aws/dynamo/table-model';
import type { Timer } from '#domain/timers';
import { createTestTables, rawDocClient, testEndpoint } from '../support/dynamo';
import { localDynamoClient } from '../../infra/local/dynamodb-local';
import { lambdaContext } from '../../infra/local/server';
import { StreamPoller, type StreamHandler } from '../../infra/local/stream-poller';
import { startTestApi } from '../support/api';

const doc = rawDocClient();
const raw = localDynamoClient(testEndpoint());

describe('stream dead letters', () => {
  it('keeps a record that failed every attempt, lists it, and replays it once the handler takes it', async () => {
    const tables = await createTestTables();
    let failing = true;
    const seen: string[] = [];
    const handler: StreamHandler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
      await Promise.resolve();
      if (failing) return { batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.dynamodb?.SequenceNumber ?? '' })) };
      seen.push(...event.Records.map((r) => String(r.dynamodb?.NewImage?.n?.N)));
      return { batchItemFailures: [] };
    };
    const poller = new StreamPoller({ endpoint: testEndpoint(), region: 'local', tableName: tables.cases, stateTable: tables.local, dynamo: raw, doc, handler: () => handler, context: (n) => lambdaContext(n) });
    await doc.send(new PutCommand({ TableName: tables.cases, Item: { ...keys.case('DLQCASE'), n: 1 } }));
    for (let i = 0; i < 10; i++) await poller.drain();
    expect(await poller.deadLetters()).toEqual([]); // 10 attempts: still retried, as the mapping's 10 retries
    await poller.drain();
    const dead = await poller.deadLetters();
    expect(dead).toEqual([expect.objectContaining({ attempts: 11, eventName: 'INSERT', lastError: 'the handler reported the record as failed' })]);
    // The stream moved on past it (nothing is delivered again by draining).
    failing = false;
    await poller.drain();
    expect(seen).toEqual([]);
    expect(await poller.replayDeadLetters()).toEqual({ replayed: 1, failed: 0 });
    expect(seen).toEqual(['1']);
    expect(await poller.deadLetters()).toEqual([]);
    poller.close();
  });
});

describe('timer dead letters', () => {
  it('puts a dead-lettered schedule back on replay, unless the case set a new one of that name meanwhile', async () => {
    const { local } = await createTestTables();
    const s = new LocalScheduler(doc, { tableName: local, maxAttempts: 1 });
    const timer = (percent: number): Timer => ({ name: `DLQ-1-p${percent}`, caseId: 'DLQ', kind: 'checkpoint', percent, at: '2026-01-01T00:00:00.000Z' }) as Timer;
    await s.upsert(timer(50));
    await s.fireDue(
      () => '2026-01-02T00:00:00.000Z',
      async () => Promise.reject(new Error('throttled')),
    );
    expect(await s.deadLetters()).toHaveLength(1);
    expect(await s.replayDeadLetters()).toEqual({ replayed: 1 });
    expect(await s.deadLetters()).toEqual([]);
    const fired: string[] = [];
    await s.fireDue(() => '2026-01-02T00:00:00.000Z', async (t) => fired.push(t.name));
    expect(fired).toEqual(['DLQ-1-p50']);
  });
});

describe('GET/POST /local/dead-letters', () => {
  it('lists every stand-in’s dead letters and replays them', async () => {
    const api = await startTestApi({}, { reports: true });
    try {
      const list = await fetch(`${api.url}/local/dead-letters`);
      expect(list.status).toBe(200);
      expect(await list.json()).toEqual({ streams: { 'case-stream': [], 'report-projection': [] }, timers: [] });
      const replay = await fetch(`${api.url}/local/dead-letters/replay`, { method: 'POST' });
      expect(await replay.json()).toEqual({ streams: { 'case-stream': { replayed: 0, failed: 0 }, 'report-projection': { replayed: 0, failed: 0 } }, timers: { replayed: 0 } });
    } finally {
      await api.close();
    }
  });
});
