// Leased reference blocks (issue 29 item 8) against DynamoDB Local: one counter update per block per process, unique numbers across processes, gaps allowed, teams leased the same way.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoClients, observeDynamoRequests } from '#adapters/aws/dynamo/client';
import { DynamoCaseRepository } from '#adapters/aws/dynamo/case-repository';
import { keys } from '#adapters/aws/dynamo/table-model';
import { formatReference } from '#domain/reference';
import { createTestTables, rawDocClient, testEndpoint } from '../support/dynamo';

const clients = createDynamoClients({ region: 'local', endpoint: testEndpoint() });
const raw = rawDocClient();

describe('leased reference blocks', () => {
  it('two containers (repositories) of block 10 hand out 60 distinct numbers with 6 counter updates; the unused rest of a block is a gap', async () => {
    const { cases } = await createTestTables();
    const a = new DynamoCaseRepository(clients.doc, { tableName: cases, listShards: 4, referenceBlock: 10 });
    const b = new DynamoCaseRepository(clients.doc, { tableName: cases, listShards: 4, referenceBlock: 10 });
    const updates: string[] = [];
    const stop = observeDynamoRequests((command) => {
      if (command === 'UpdateItemCommand' || command === 'UpdateCommand') updates.push(command);
    });
    let out: number[];
    try {
      out = (await Promise.all([...Array.from({ length: 35 }, () => a.allocateSequence(2026)), ...Array.from({ length: 25 }, () => b.allocateSequence(2026))])).map((r) => r.seq);
    } finally {
      stop();
    }
    expect(new Set(out).size).toBe(60);
    expect(updates).toHaveLength(4 + 3);
    // Blocks are leased whole: 70 numbers reserved for 60 cases, so ten are gaps (never reused: the counter only grows).
    const counter = await raw.send(new GetCommand({ TableName: cases, Key: keys.counter(2026) }));
    expect(counter.Item?.seq).toBe(70);
    expect(Math.max(...out)).toBeLessThanOrEqual(70);
  });

  it('leases team round-robin counts in blocks too, each team and year apart', async () => {
    const { cases } = await createTestTables();
    const repo = new DynamoCaseRepository(clients.doc, { tableName: cases, listShards: 4, referenceBlock: 5 });
    const out = [];
    for (let i = 0; i < 7; i += 1) out.push(await repo.allocateSequence(2026, 'alpha'));
    expect(out.map((o) => o.teamCount)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(out.map((o) => o.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(await repo.allocateSequence(2027, 'alpha')).toEqual({ seq: 1, teamCount: 1 });
  });
});

describe('references past 999,999', () => {
  it('widen to X and nine digits and still sort after every six-digit one, in number order', () => {
    const refs = [1, 42, 999_999, 1_000_000, 1_000_001, 12_345_678].map((n) => formatReference(2026, n));
    expect(refs).toEqual(['CMP-2026-000001', 'CMP-2026-000042', 'CMP-2026-999999', 'CMP-2026-X001000000', 'CMP-2026-X001000001', 'CMP-2026-X012345678']);
    expect([...refs].reverse().sort()).toEqual(refs);
    expect(() => formatReference(2026, 0)).toThrow(RangeError);
  });
});
