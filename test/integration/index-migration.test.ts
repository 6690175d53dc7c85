// Index generation 2 on a table built before it (issue 28; docs/deploy.md, "Index generation 2"): a table at step 0 with
// a case written by the old code (GSI5 keys, stored timers, an entity tag and a hex head hash on the case item, none on
// its audit events) is walked through CASE_INDEX_STEPS as the deploys would, and the new code reads it at step 5 (the
// new indexes filled from the items already there), moves it to the new layout on its next write, and still reads it
// once the old indexes are gone. The audit digest sees the case before and after the move.
import { randomUUID } from 'node:crypto';
import { DescribeTableCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { monotonicFactory } from 'ulid';
import { createDynamoClients } from '#adapters/aws/dynamo/client';
import { DynamoCaseRepository } from '#adapters/aws/dynamo/case-repository';
import { DynamoDigestLedger } from '#adapters/aws/dynamo/digest-ledger';
import { decodeStreamRecord } from '#adapters/aws/dynamo/stream-records';
import { caseOfItem } from '#adapters/aws/dynamo/case-codec';
import { CASE_INDEX_STEPS, FINAL_CASE_INDEX_STEP, RETIRED_INDEXES, casesTableAt, keys, shardOf } from '#adapters/aws/dynamo/table-model';
import { appendEvents, EMPTY_HEAD } from '#domain/audit-chain';
import * as life from '#domain/lifecycle';
import { getRegime } from '#domain/regimes';
import { timerMap } from '#domain/timers';
import { ensureTables, indexesSettled, localDynamoClient, startDynamoLocal, type RunningDynamo } from '../../infra/local/dynamodb-local';

const NOW = '2026-06-01T00:00:00.000Z';
const LATER = '2026-06-02T00:00:00.000Z';
const SHARDS = 4;
// Its own DynamoDB Local: a new index stays CREATING until DynamoDB Local has backfilled it, and on the instance the whole
// run shares, busy with every other file, that took over a minute in a full run (about 1 s here alone).
let dynamo: RunningDynamo;
let endpoint: string;
let clients: ReturnType<typeof createDynamoClients>;
let raw: DynamoDBDocumentClient;
let control: ReturnType<typeof localDynamoClient>;
beforeAll(async () => {
  dynamo = await startDynamoLocal();
  endpoint = dynamo.endpoint;
  clients = createDynamoClients({ region: 'local', endpoint });
  raw = DynamoDBDocumentClient.from(localDynamoClient(endpoint));
  control = localDynamoClient(endpoint);
}, 60_000);
afterAll(async () => {
  clients?.raw.destroy();
  raw?.destroy();
  control?.destroy();
  await dynamo?.stop();
});

/** The table's indexes, not counting one being deleted (a delete, like a deploy's, finishes in the background). */
const indexesOf = async (table: string) =>
  ((await control.send(new DescribeTableCommand({ TableName: table }))).Table?.GlobalSecondaryIndexes ?? [])
    .filter((g) => g.IndexStatus !== 'DELETING')
    .map((g) => g.IndexName)
    .sort();

it('walks a generation-1 table to generation 2 one index a step, the new code reading it from step 5 on', async () => {
  const table = `migrate-idx-${randomUUID().slice(0, 8)}`;
  await ensureTables(endpoint, [{ name: table, def: casesTableAt(0) }]);
  expect(await indexesOf(table)).toEqual(RETIRED_INDEXES.map((i) => i.indexName).sort());

  // A case as the old code wrote it.
  const repo = new DynamoCaseRepository(clients.doc, { tableName: table, listShards: SHARDS });
  const opened = life.openCase(
    { customer: { id: 'cust-m', name: 'Ada' }, channel: 'web', summary: 'Late', description: 'Arrived late', product: 'delivery', category: 'service_delay', regime: 'UK_FCA_DISP', receivedAt: NOW },
    { id: monotonicFactory()(), reference: 'CMP-2026-000009', ownerId: 'alice', assignmentRule: 'explicit', regime: getRegime('UK_FCA_DISP'), actor: 'web-form', now: NOW },
  );
  const { events, head } = appendEvents(EMPTY_HEAD, opened.drafts, NOW);
  await repo.create({ case: opened.case, head, events });
  const id = opened.case.id;
  const stored = (await raw.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.casePk(id) } }))).Items ?? [];
  const legacy = {
    ...stored.find((i) => i.SK === 'CASE')!,
    entity: 'case',
    headHash: head.hash,
    timers: timerMap(opened.case),
    GSI5PK: keys.changedPk(shardOf(id, SHARDS)),
    GSI5SK: keys.changedSk(NOW, id),
  };
  await raw.send(new PutCommand({ TableName: table, Item: legacy }));
  for (const e of stored.filter((i) => String(i.SK).startsWith(keys.auditPrefix))) {
    const { GSI5PK: _p, GSI5SK: _s, ...old } = e;
    await raw.send(new PutCommand({ TableName: table, Item: old }));
  }

  // Steps 1–5: one new index a deploy, each filled from the items already in the table.
  for (let step = 1; step <= 5; step++) {
    await ensureTables(endpoint, [{ name: table, def: casesTableAt(step) }]);
    expect(await indexesOf(table)).toEqual(CASE_INDEX_STEPS[step]!.map((i) => i.indexName).sort());
  }

  // Step 5: the new code reads the old item through the new indexes.
  expect((await repo.list({ ownerId: 'alice', limit: 10, now: NOW })).items.map((c) => c.id)).toEqual([id]);
  expect((await repo.list({ limit: 10, now: NOW })).items.map((c) => c.id)).toEqual([id]);
  expect((await repo.listByCustomer('cust-m', 10)).items.map((c) => c.id)).toEqual([id]);
  expect((await repo.get(id))?.head).toEqual(head);
  const ledger = new DynamoDigestLedger(clients.doc, { tableName: table, listShards: SHARDS });
  expect(await ledger.changedCases(null)).toEqual([{ caseId: id, seq: head.seq, hash: head.hash }]);

  // Its next write moves it to the new layout: no GSI5 keys, timers or entity on the case item; its newest audit event
  // in the changed-cases index; the digest finds the case at the new head, once.
  const moved = life.reassign(opened.case, 'bob', 'rebalance', 'sam', LATER);
  const next = { ...moved.case, version: opened.case.version + 1, updatedAt: LATER };
  const appended = appendEvents(head, moved.drafts, LATER);
  await repo.commit({ case: next, expectedVersion: opened.case.version, head: appended.head, events: appended.events });
  const after = (await raw.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'PK = :pk AND SK = :sk', ExpressionAttributeValues: { ':pk': keys.casePk(id), ':sk': 'CASE' } }))).Items![0]!;
  for (const gone of ['GSI5PK', 'GSI5SK', 'timers', 'entity']) expect(after).not.toHaveProperty(gone);
  expect(after.headHash).toBeInstanceOf(Uint8Array);
  expect(await ledger.changedCases(NOW)).toEqual([{ caseId: id, seq: appended.head.seq, hash: appended.head.hash }]);
  expect((await repo.list({ ownerId: 'bob', limit: 10, now: LATER })).items.map((c) => c.version)).toEqual([next.version]);

  // The stream handler's timer diff: the old image's stored timers against the timers the new image's case needs.
  const record = { eventName: 'MODIFY', dynamodb: { Keys: marshall(keys.case(id)), OldImage: marshall(legacy), NewImage: marshall(after) } } as unknown as DynamoDBRecord;
  const change = decodeStreamRecord(record);
  expect(change).toMatchObject({ kind: 'case', before: legacy.timers, after: timerMap(caseOfItem(after)) });

  // Steps 6–10: the old indexes go, one a deploy; the new code does not notice.
  for (let step = 6; step <= FINAL_CASE_INDEX_STEP; step++) {
    const drop = RETIRED_INDEXES[step - 6]!.indexName;
    // One index change at a time per table, as in DynamoDB: the previous delete finishes first (a deploy waits too).
    await indexesSettled(control, table);
    await control.send(new UpdateTableCommand({ TableName: table, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: drop } }] }));
    expect(await indexesOf(table)).toEqual(CASE_INDEX_STEPS[step]!.map((i) => i.indexName).sort());
  }
  expect((await repo.list({ ownerId: 'bob', limit: 10, now: LATER })).items.map((c) => c.id)).toEqual([id]);
  expect((await repo.listByCustomer('cust-m', 10)).items.map((c) => c.id)).toEqual([id]);
  // Ten index changes, each waiting for DynamoDB Local to finish it (about 1 s each on a quiet machine; a loaded full
  // run took over 30 s), as a deploy waits for each.
}, 180_000);
