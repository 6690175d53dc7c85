// `npm run migrate` (tools/migrate/case-items.ts) against the real DynamoDB Local: a table holding case items in the old
// form (the case as a DynamoDB map, as the repository wrote them before shared/adapters/aws/dynamo/case-codec.ts) is
// read by the new code as it is, moved to the compact form with every case reading back identical, a change that lands
// during the pass is never lost, an interrupted pass resumes from its saved cursor, and a second run changes nothing.
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import { createDynamoClients } from '#adapters/aws/dynamo/client';
import { DynamoCaseRepository } from '#adapters/aws/dynamo/case-repository';
import { CASE_ATTR, CASE_FIELD_ATTRS, caseOfItem, itemWithCase, storedCaseForm } from '#adapters/aws/dynamo/case-codec';
import { keys } from '#adapters/aws/dynamo/table-model';
import { appendEvents, EMPTY_HEAD, type ChainHead } from '#domain/audit-chain';
import * as life from '#domain/lifecycle';
import { getRegime } from '#domain/regimes';
import type { Case, CreateComplaintBody } from '#schemas/complaint';
import { migrateCaseItems, type MigrationCursor, type MigrationProgress } from '../../tools/migrate/case-items';
import { createTestTables, rawDocClient, testEndpoint } from '../support/dynamo';

const DAY = 86_400_000;
const NOW = '2026-06-01T00:00:00.000Z';
const at = (base: string, ms: number) => new Date(Date.parse(base) + ms).toISOString();
const nextId = monotonicFactory();

const clients = createDynamoClients({ region: 'local', endpoint: testEndpoint() });
const raw = rawDocClient();
afterAll(() => {
  clients.raw.destroy();
  raw.destroy();
});

const CATEGORIES: Case['category'][] = ['service_delay', 'billing', 'product_issue'];
const REGIMES = ['UK_FCA_DISP', 'UK_FCA_PSD'];

interface Stored {
  case: Case;
  head: ChainHead;
}

const openCase = (i: number): Stored & { events: ReturnType<typeof appendEvents>['events'] } => {
  const body: CreateComplaintBody = {
    customer: { id: `cust-${i % 3}`, name: 'Ada' },
    channel: 'web',
    summary: `Late delivery ${i}`,
    description: 'Arrived late',
    product: 'delivery',
    category: CATEGORIES[i % CATEGORIES.length]!,
    regime: REGIMES[i % REGIMES.length]!,
    receivedAt: at(NOW, -(i % 20) * DAY),
  };
  const change = life.openCase(body, { id: nextId(), reference: `CMP-2026-${String(i + 1).padStart(6, '0')}`, ownerId: i % 2 ? 'alice' : 'bob', assignmentRule: 'explicit', regime: getRegime(body.regime), actor: 'web-form', now: NOW });
  const { events, head } = appendEvents(EMPTY_HEAD, change.drafts, NOW);
  return { case: change.case, head, events };
};

/** Commits a lifecycle change the way ComplaintService does (the new code: the compact form). */
const applyChange = async (repo: DynamoCaseRepository, rec: Stored, change: life.Change<unknown>): Promise<Stored> => {
  const next: Case = { ...change.case, version: rec.case.version + 1, updatedAt: at(NOW, 1000) };
  const { events, head } = appendEvents(rec.head, change.drafts, at(NOW, 1000));
  await repo.commit({ case: next, expectedVersion: rec.case.version, head, events });
  return { case: next, head };
};

const caseItem = async (table: string, id: string) => (await raw.send(new GetCommand({ TableName: table, Key: keys.case(id), ConsistentRead: true }))).Item!;

/**
 * The case item as the repository wrote it before the compact form: the case as a map, no top-level copies of its
 * fields; every other attribute (keys, index keys, timers, head) as the repository writes them.
 */
const toOldForm = async (table: string, id: string): Promise<void> => {
  const item = await caseItem(table, id);
  const old: Record<string, unknown> = { ...item, [CASE_ATTR]: caseOfItem(item) };
  for (const attr of Object.values(CASE_FIELD_ATTRS)) delete old[attr];
  await raw.send(new PutCommand({ TableName: table, Item: old }));
};

const caseItems = async (table: string, ids: string[]) => Promise.all(ids.map((id) => caseItem(table, id)));
const withoutCase = (item: Record<string, unknown>) => {
  const { [CASE_ATTR]: _c, ...rest } = item;
  for (const attr of Object.values(CASE_FIELD_ATTRS)) delete rest[attr];
  return rest;
};

/** What every read path of the repository answers over the cases (lists as id lists in their order). */
const FILTERS: Omit<Parameters<DynamoCaseRepository['list']>[0], 'limit' | 'now'>[] = [{}, { category: 'billing' }, { regime: 'UK_FCA_PSD' }, { status: 'closed' }, { ownerId: 'alice' }, { risk: 'on_track' }, { risk: 'overdue' }, { risk: 'at_risk' }];
const reads = async (repo: DynamoCaseRepository, cases: Stored[]) => {
  const every: string[] = [];
  for await (const c of repo.everyCase()) every.push(c.id);
  return {
    gets: await Promise.all(cases.map((c) => repo.get(c.case.id))),
    lists: await Promise.all(FILTERS.map(async (f) => (await repo.list({ ...f, limit: 100, now: at(NOW, 3 * DAY) })).items)),
    board: (await repo.activeDeadlines()).sort((a, b) => `${a.dueAt}${a.ownerId}`.localeCompare(`${b.dueAt}${b.ownerId}`)),
    every: every.sort(),
    byCustomer: (await repo.listByCustomer('cust-1', 100)).items,
    retention: await repo.retentionDue(at(NOW, 400 * DAY), 10),
  };
};

const N = 13;
const setUp = async () => {
  const tables = await createTestTables();
  const repo = new DynamoCaseRepository(clients.doc, { tableName: tables.cases, listShards: 2 });
  const cases: Stored[] = [];
  for (let i = 0; i < N; i++) {
    const c = openCase(i);
    await repo.create(c);
    cases.push({ case: c.case, head: c.head });
  }
  // A closed case too (the closed partitions and the retention index).
  const first = cases[0]!;
  cases[0] = await applyChange(repo, first, { case: { ...first.case, status: 'closed', closedAt: NOW, retainUntil: at(NOW, 365 * DAY) }, drafts: [{ actor: 'alice', action: 'complaint.closed', data: {} }], result: undefined });
  const newForm = await caseItems(tables.cases, cases.map((c) => c.case.id));
  const readsBefore = await reads(repo, cases);
  for (const c of cases) await toOldForm(tables.cases, c.case.id);
  return { table: tables.cases, repo, cases, newForm, readsBefore };
};

const fast = { sleep: async () => {}, writesPerSecond: 1000 };

describe('reading a table that holds the old form', () => {
  it('every read path of the repository answers from old-form and new-form items alike', async () => {
    const { table, repo, cases, readsBefore } = await setUp();
    // The filters and projections select something to compare.
    for (const [i, l] of readsBefore.lists.entries()) if (i < 5) expect(l.length).toBeGreaterThan(0);
    expect(readsBefore.board.length).toBe(N - 1);
    // Half the table migrated by hand: a mixed table, as during the migration.
    for (const c of cases.slice(0, 6)) {
      const item = await caseItem(table, c.case.id);
      await raw.send(new PutCommand({ TableName: table, Item: itemWithCase(item, caseOfItem(item)) }));
    }
    expect(storedCaseForm((await caseItem(table, cases[7]!.case.id))[CASE_ATTR])).toBe('map');
    expect(storedCaseForm((await caseItem(table, cases[1]!.case.id))[CASE_ATTR])).toBe('binary');
    for (const c of cases) expect(await repo.get(c.case.id)).toEqual(c);
    // Every read answers as it did when the whole table was in the new form.
    expect(await reads(repo, cases)).toEqual(readsBefore);
  });
});

describe('npm run migrate', () => {
  it('rewrites every old-form case item to the compact form: every case reads back identical, nothing else changes', async () => {
    const { table, repo, cases, newForm } = await setUp();
    const ids = cases.map((c) => c.case.id);
    const before = await caseItems(table, ids);
    const out = await migrateCaseItems(clients.doc, { tableName: table, segments: 3, pageSize: 5, ...fast });
    expect(out).toMatchObject({ found: N, rewritten: N, changedConcurrently: 0, gone: 0 });
    expect(out.cursor.positions).toEqual(['done', 'done', 'done']);
    const after = await caseItems(table, ids);
    for (const [i, item] of after.entries()) {
      expect(storedCaseForm(item[CASE_ATTR])).toBe('binary');
      expect(caseOfItem(item)).toEqual(cases[i]!.case);
      expect(await repo.get(ids[i]!)).toEqual(cases[i]);
      // The item the new code would have written: the same attributes, the case's fields beside it.
      expect(withoutCase(item)).toEqual(withoutCase(before[i]!));
      expect(withoutCase(item)).toEqual(withoutCase(newForm[i]!));
      for (const [field, attr] of Object.entries(CASE_FIELD_ATTRS)) expect(item[attr]).toEqual(cases[i]!.case[field as keyof typeof CASE_FIELD_ATTRS]);
      // The audit events are all there.
      const children = await raw.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'PK = :pk AND begins_with(SK, :audit)', ExpressionAttributeValues: { ':pk': keys.casePk(ids[i]!), ':audit': keys.auditPrefix } }));
      expect(children.Items?.length).toBe(cases[i]!.head.seq);
    }

    // A second run finds nothing to do and changes nothing.
    const again = await migrateCaseItems(clients.doc, { tableName: table, segments: 3, pageSize: 5, ...fast });
    expect(again).toMatchObject({ found: 0, rewritten: 0, changedConcurrently: 0, gone: 0 });
    expect(await caseItems(table, ids)).toEqual(after);
  });

  it('never overwrites a change that lands during the pass: a new writer, an old writer and a bookkeeping event', async () => {
    const { table, repo, cases } = await setUp();
    const [reassigned, oldWriter, bookkept] = [cases[3]!, cases[4]!, cases[5]!];
    const expected = new Map(cases.map((c) => [c.case.id, c] as const));
    const interfered = new Set<string>();
    const out = await migrateCaseItems(clients.doc, {
      tableName: table,
      segments: 2,
      pageSize: 4,
      ...fast,
      beforeRewrite: async (item) => {
        const id = caseOfItem(item).id;
        if (interfered.has(id)) return;
        interfered.add(id);
        if (id === reassigned.case.id) {
          // The deployed code reassigns the case between the migration's read and its write.
          expected.set(id, await applyChange(repo, reassigned, life.reassign(reassigned.case, 'carol', 'workload', 'sam', NOW)));
        } else if (id === oldWriter.case.id) {
          // A function still on the old code (a rolling deploy) writes the old form, at the next version.
          const changed: Case = { ...oldWriter.case, summary: 'Changed by the old code', version: oldWriter.case.version + 1 };
          await raw.send(new PutCommand({ TableName: table, Item: { ...(await caseItem(table, id)), [CASE_ATTR]: changed, version: changed.version } }));
          expected.set(id, { case: changed, head: oldWriter.head });
        } else if (id === bookkept.case.id) {
          // A bookkeeping event: the audit head moves, the version does not.
          const { events, head } = appendEvents(bookkept.head, [{ actor: 'alice', action: 'export.download_issued', data: {} }], at(NOW, 2000));
          await repo.commit({ case: bookkept.case, expectedVersion: bookkept.case.version, head, events });
          expected.set(id, { case: bookkept.case, head });
        }
      },
    });
    // The new writer's and the bookkeeping commit's items are in the new form when read again (the deployed code
    // writes nothing else); the old writer's is still old, so it is rewritten from what that writer left.
    expect(out).toMatchObject({ found: N, rewritten: N - 2, changedConcurrently: 2, gone: 0 });
    for (const c of cases) {
      const item = await caseItem(table, c.case.id);
      expect(storedCaseForm(item[CASE_ATTR])).toBe('binary');
      expect(await repo.get(c.case.id)).toEqual(expected.get(c.case.id));
    }
    expect((await repo.get(reassigned.case.id))?.case.ownerId).toBe('carol');
    expect((await repo.get(oldWriter.case.id))?.case.summary).toBe('Changed by the old code');
    expect((await repo.get(bookkept.case.id))?.head.seq).toBe(bookkept.head.seq + 1);
  });

  it('resumes from the cursor an interrupted run saved, and finishes the table', async () => {
    const { table, repo, cases } = await setUp();
    let saved: MigrationCursor | undefined;
    let pages = 0;
    const interrupted = migrateCaseItems(clients.doc, {
      tableName: table,
      segments: 1,
      pageSize: 4,
      ...fast,
      onProgress: (p: MigrationProgress) => {
        saved = p.cursor;
        pages += 1;
        if (pages === 2) throw new Error('interrupted');
      },
    });
    await expect(interrupted).rejects.toThrow('interrupted');
    expect(saved?.positions[0]).not.toBe('done');
    const migratedFirst = (await caseItems(table, cases.map((c) => c.case.id))).filter((i) => storedCaseForm(i[CASE_ATTR]) === 'binary').length;
    expect(migratedFirst).toBeGreaterThan(0);
    expect(migratedFirst).toBeLessThan(N);

    const resumed = await migrateCaseItems(clients.doc, { tableName: table, pageSize: 4, ...fast, cursor: JSON.parse(JSON.stringify(saved)) as MigrationCursor });
    expect(resumed.rewritten).toBe(N - migratedFirst);
    expect(resumed.cursor.positions).toEqual(['done']);
    for (const c of cases) expect(await repo.get(c.case.id)).toEqual(c);
  });

  it('spaces its rewrites to the rate it is given', async () => {
    const { table } = await setUp();
    let clock = 0;
    await migrateCaseItems(clients.doc, {
      tableName: table,
      segments: 2,
      writesPerSecond: 10,
      nowMs: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    });
    // 13 rewrites at 10 a second: the first at once, each later one 100 ms after the one before.
    expect(clock).toBe((N - 1) * 100);
  });
});
