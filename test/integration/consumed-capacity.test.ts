// The consumed-capacity observer (shared/adapters/aws/dynamo/client.ts) against DynamoDB Local: units per table and index.
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoClients, observeConsumedCapacity, sumCapacity, type ConsumedUnits } from '#adapters/aws/dynamo/client';
import { INDEX } from '#adapters/aws/dynamo/table-model';
import { createTestTables, testEndpoint } from '../support/dynamo';

const GSI1 = INDEX.byOwnerDue.indexName;
const GSI3 = INDEX.byCustomer.indexName;

const clients = createDynamoClients({ region: 'local', endpoint: testEndpoint() });
afterAll(() => clients.raw.destroy());

const observe = async (fn: () => Promise<unknown>): Promise<ConsumedUnits[]> => {
  const seen: ConsumedUnits[] = [];
  const stop = observeConsumedCapacity((u) => seen.push(u));
  try {
    await fn();
  } finally {
    stop();
  }
  return seen;
};

it('reports table and index write units of a put, and twice as many inside a transaction', async () => {
  const { cases } = await createTestTables();
  // Under 1 KB, carrying the owner-index keys only: 1 unit on the table, 1 on the owner index.
  const item = { PK: 'CASE#cap-1', SK: 'CASE', GSI1PK: 'OWNER#olive#active', GSI1SK: '2026-06-01#cap-1', small: 'x' };
  const [put] = await observe(() => clients.doc.send(new PutCommand({ TableName: cases, Item: item })));
  expect(put).toEqual({ commandName: 'PutItemCommand', writeUnits: 2, readUnits: 0, writeUnitsBy: { table: 1, [GSI1]: 1 }, byTable: { [cases]: { writeUnits: 2, readUnits: 0, writeUnitsBy: { table: 1, [GSI1]: 1 } } } });
  const [tx] = await observe(() => clients.doc.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: cases, Item: { ...item, PK: 'CASE#cap-2' } } }] })));
  expect(tx).toEqual({ commandName: 'TransactWriteItemsCommand', writeUnits: 4, readUnits: 0, writeUnitsBy: { table: 2, [GSI1]: 2 }, byTable: { [cases]: { writeUnits: 4, readUnits: 0, writeUnitsBy: { table: 2, [GSI1]: 2 } } } });
});

it('writes an index only when its keys or a projected attribute change (issue 28: narrow projections keep ordinary writes off the indexes)', async () => {
  const { cases } = await createTestTables();
  // A case item in the owner index (INCLUDE of the list attributes) and the customer index (keys only for a case item).
  const base = { PK: 'CASE#cap-4', SK: 'CASE', GSI1PK: 'OWNER#olive#active', GSI1SK: '2026-06-01#cap-4', GSI3PK: 'CUSTOMER#c-1', GSI3SK: '2026-05-01#cap-4', status: 'open', headSeq: 1 };
  const [first] = await observe(() => clients.doc.send(new PutCommand({ TableName: cases, Item: base })));
  expect(first?.writeUnitsBy).toEqual({ table: 1, [GSI1]: 1, [GSI3]: 1 });
  // Only an attribute neither index projects changes (the audit head): the table alone is written.
  const [unprojected] = await observe(() => clients.doc.send(new PutCommand({ TableName: cases, Item: { ...base, headSeq: 2 } })));
  expect(unprojected?.writeUnitsBy).toEqual({ table: 1 });
  // A listed attribute changes: the owner index is written, the customer index (keys only, keys unchanged) is not.
  const [listed] = await observe(() => clients.doc.send(new PutCommand({ TableName: cases, Item: { ...base, headSeq: 3, status: 'acknowledged' } })));
  expect(listed?.writeUnitsBy).toEqual({ table: 1, [GSI1]: 1 });
});

it('leaves requests alone when nobody observes', async () => {
  const { cases } = await createTestTables();
  const out = await clients.doc.send(new PutCommand({ TableName: cases, Item: { PK: 'CASE#cap-3', SK: 'CASE' } }));
  expect(out.ConsumedCapacity).toBeUndefined();
});

it('sums a total-only answer and a read answer', () => {
  expect(sumCapacity('PutItemCommand', { TableName: 't', CapacityUnits: 3 })).toEqual({ commandName: 'PutItemCommand', writeUnits: 3, readUnits: 0, writeUnitsBy: { table: 3 }, byTable: { t: { writeUnits: 3, readUnits: 0, writeUnitsBy: { table: 3 } } } });
  expect(sumCapacity('QueryCommand', { TableName: 't', CapacityUnits: 0.5, Table: { CapacityUnits: 0.5 } })).toEqual({ commandName: 'QueryCommand', writeUnits: 0, readUnits: 0.5, writeUnitsBy: {}, byTable: { t: { writeUnits: 0, readUnits: 0.5, writeUnitsBy: {} } } });
});
