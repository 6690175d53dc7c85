// Retention on the real DynamoDB adapter (DynamoDB Local): the sparse, sharded retention index (held cases apart,
// redacted ones gone, the customer index entry dropped), conditional rewrites in batches of at most 100 items, and a
// crashed run that the next run finishes.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoClients, observeDynamoRequests } from '#adapters/aws/dynamo/client';
import { DynamoCaseRepository } from '#adapters/aws/dynamo/case-repository';
import { keys } from '#adapters/aws/dynamo/table-model';
import { appendEvents, verifyChain } from '#domain/audit-chain';
import { AssignmentRules } from '#domain/assignment';
import { ComplaintService } from '#domain/complaint-service';
import { ConflictError, StaleVersionError } from '#domain/errors';
import { addNote, present } from '#domain/lifecycle';
import type { Principal } from '#domain/principal';
import { planRedaction, REDACTED, retentionPeriod, RETENTION_ACTOR } from '#domain/retention';
import { RetentionService } from '#domain/retention-service';
import { createCasesTable, rawDocClient, testEndpoint } from '../support/dynamo';

const DAY = 86_400_000;
const YEARS_4 = 4 * 366 * DAY;
const ROOT_CAUSE = { category: 'capacity', description: 'Depot overbooked' };
const clients = createDynamoClients({ region: 'local', endpoint: testEndpoint() });
const raw = rawDocClient();
afterAll(() => {
  clients.raw.destroy();
  raw.destroy();
});

const intake: Principal = { sub: 'web-form', roles: ['intake'], scopes: [] };
const alice: Principal = { sub: 'alice', roles: ['handler'], scopes: [] };

/** Notes per commit when a fixture adds many: a note and its note.added event each, plus the case, within 100 items. */
const NOTES_PER_COMMIT = 45;

const setup = async () => {
  // The repository reads and writes the cases table only.
  const tables = { cases: await createCasesTable() };
  const repo = new DynamoCaseRepository(clients.doc, { tableName: tables.cases, listShards: 4 });
  let now = Date.parse('2026-06-01T09:00:00.000Z');
  let n = 0;
  const clock = { now: () => new Date(now).toISOString() };
  const ids = { next: () => `01J${String(++n).padStart(23, '0')}` };
  const complaints = new ComplaintService({ repo, clock, ids, assignment: AssignmentRules.parse({ teams: { c: ['h1'] }, defaultTeam: 'c', rules: [] }) });
  const retention = new RetentionService({ repo, clock, batch: 10 });
  /**
   * `count` call notes by alice, as ComplaintService.addNote writes each (the note, its note.added event, the case at
   * the next version, in one chain), but up to NOTES_PER_COMMIT to a commit: the fixture of the 120-note case is not
   * what these tests are about, and a transaction per note cost it 240 DynamoDB calls.
   */
  const addNotes = async (id: string, count: number) => {
    for (let from = 0; from < count; from += NOTES_PER_COMMIT) {
      const rec = (await repo.get(id))!;
      const at = clock.now();
      const added = Array.from({ length: Math.min(NOTES_PER_COMMIT, count - from) }, (_, k) => addNote(rec.case, { kind: 'call_note', body: `Call ${from + k} with Ada` }, { noteId: ids.next() }, alice.sub, at));
      const { events, head } = appendEvents(rec.head, added.flatMap((a) => a.drafts), at);
      const next = present({ ...rec.case, version: rec.case.version + 1, updatedAt: at }, at);
      await repo.commit({ case: next, expectedVersion: rec.case.version, head, events, children: added.map((a) => ({ kind: 'note' as const, note: a.result })) });
    }
  };
  const closed = async (customerId: string, notes = 1) => {
    const c = await complaints.open(intake, {
      customer: { id: customerId, name: 'Ada Lovelace', email: 'ada@example.com' },
      channel: 'web',
      summary: 'Late delivery',
      description: 'The parcel arrived two weeks late',
      product: 'delivery',
      category: 'service_delay',
      regime: 'UK_FCA_PSD',
      ownerId: 'alice',
    });
    await addNotes(c.id, notes);
    return (await complaints.close(alice, c.id, { followUpAction: 'Retrain', rootCause: ROOT_CAUSE })).case;
  };
  const item = async (id: string) => (await raw.send(new GetCommand({ TableName: tables.cases, Key: keys.case(id) }))).Item!;
  return { repo, complaints, retention, closed, item, advance: (ms: number) => (now += ms), clock };
};

describe('the retention index', () => {
  it('holds closed cases by retainUntil across shards, oldest first; held cases apart; redacted cases leave it', async () => {
    const { repo, retention, closed, item, advance, clock } = await setup();
    const a = await closed('cust-a');
    advance(DAY);
    const b = await closed('cust-b');
    advance(DAY);
    const c = await closed('cust-c');
    const rec = (await repo.get(c.id))!;
    await repo.commit({ case: { ...rec.case, legalHold: true, version: rec.case.version + 1 }, expectedVersion: rec.case.version, head: rec.head, events: [] });

    expect(await item(a.id)).toMatchObject({ GSI4PK: expect.stringMatching(/^RETAIN#[0-3]$/), GSI4SK: `${a.retainUntil}#${a.id}`, GSI3PK: 'CUSTOMER#cust-a' });
    expect((await item(c.id)).GSI4PK).toBe(keys.retentionHeldPk);
    expect(await repo.retentionDue(a.retainUntil!, 10)).toEqual({ due: [], held: 0 });
    advance(YEARS_4);
    expect(await repo.retentionDue(clock.now(), 10)).toEqual({ due: [a.id, b.id], held: 1 });
    expect(await repo.retentionDue(clock.now(), 1)).toEqual({ due: [a.id], held: 1 });

    const seen: string[] = [];
    const stop = observeDynamoRequests((name) => seen.push(name));
    try {
      expect(await retention.runOnce()).toMatchObject({ examined: 3, redacted: 2, skippedLegalHold: 1, failed: 0 });
    } finally {
      stop();
    }
    expect(seen).not.toContain('ScanCommand');
    const after = await item(a.id);
    expect(after.GSI4PK).toBeUndefined();
    expect(after.GSI3PK).toBeUndefined();
    expect((await repo.listByCustomer('cust-a', 10)).items).toEqual([]);
    expect((await repo.listByCustomer('cust-c', 10)).items.map((x) => x.id)).toEqual([c.id]);
    expect(await repo.retentionDue(clock.now(), 10)).toEqual({ due: [], held: 1 });
  });

  it('a reopened case leaves the index (no retainUntil) and returns with its next close', async () => {
    const { repo, complaints, closed, item } = await setup();
    const a = await closed('cust-r');
    await complaints.reopen({ sub: 'sam', roles: ['supervisor'], scopes: [] }, a.id, { reason: 'disputed' });
    expect((await item(a.id)).GSI4PK).toBeUndefined();
    expect((await repo.get(a.id))!.case.retainUntil).toBeUndefined();
    const again = (await complaints.close(alice, a.id, { followUpAction: 'Retrain again' })).case;
    expect((await item(a.id)).GSI4SK).toBe(`${again.retainUntil}#${a.id}`);
  });
});

describe('redactItems', () => {
  it('rewrites more than one transaction’s worth of items (batches of ≤ 100) and the chain still verifies', async () => {
    const { repo, retention, closed, advance } = await setup();
    const c = await closed('cust-many', 120);
    advance(YEARS_4);
    const writes: string[] = [];
    const stop = observeDynamoRequests((name) => writes.push(name));
    try {
      expect(await retention.runOnce()).toMatchObject({ redacted: 1, failed: 0 });
    } finally {
      stop();
    }
    // 120 notes + their 120 note.added events + complaint.closed, in 3 rewrites, then the case commit.
    expect(writes.filter((w) => w === 'TransactWriteItemsCommand').length).toBe(4);
    const notes = await repo.listNotes(c.id);
    expect(notes).toHaveLength(120);
    expect(notes.every((n) => n.body === REDACTED)).toBe(true);
    const rec = (await repo.get(c.id))!;
    expect(rec.case.redaction).toMatchObject({ by: RETENTION_ACTOR, items: 120, events: 121 });
    // received, owner.assigned, 120 × note.added, complaint.closed, retention.redacted.
    expect(verifyChain(await repo.auditEvents(c.id), rec.head)).toMatchObject({ valid: true, length: 124 });
    // The fixture writes its notes 45 to a commit (addNotes); the redaction still rewrites them in batches of ≤ 100.
  }, 180_000);

  it('stops on a version change, refuses to overwrite a different audit event or recreate a missing child', async () => {
    const { repo, closed, advance, clock } = await setup();
    const c = await closed('cust-x');
    advance(YEARS_4);
    const [notes, events] = [await repo.listNotes(c.id), await repo.auditEvents(c.id)];
    const plan = planRedaction(c, { tasks: [], notes, evidence: [], resolutions: [], approvals: [], escalations: [], events }, { at: clock.now(), by: RETENTION_ACTOR, reason: 'r' }, retentionPeriod(c.regime));
    await expect(repo.redactItems(c.id, c.version - 1, plan)).rejects.toBeInstanceOf(StaleVersionError);
    await expect(repo.redactItems(c.id, c.version, { children: [], events: [{ ...plan.events[0]!, hash: 'f'.repeat(64) }] })).rejects.toBeInstanceOf(ConflictError);
    await expect(repo.redactItems(c.id, c.version, { children: [{ kind: 'note', note: { ...notes[0]!, id: '01J0000000000000000000NOPE' } }], events: [] })).rejects.toBeInstanceOf(ConflictError);
    // Nothing was written by the refused attempts.
    expect(await repo.listNotes(c.id)).toEqual(notes);
    expect(await repo.auditEvents(c.id)).toEqual(events);
  });

  it('a run that crashed after rewriting children is finished by the next run, with the same counts', async () => {
    const { repo, retention, closed, advance, clock } = await setup();
    const c = await closed('cust-crash', 3);
    const reference = await closed('cust-ref', 3);
    advance(YEARS_4);
    const records = { tasks: [], notes: await repo.listNotes(c.id), evidence: [], resolutions: [], approvals: [], escalations: [], events: await repo.auditEvents(c.id) };
    const plan = planRedaction(c, records, { at: clock.now(), by: RETENTION_ACTOR, reason: 'r' }, retentionPeriod(c.regime));
    // The crash: children and events written, the case never committed. It is still in the index.
    await repo.redactItems(c.id, c.version, plan);
    expect((await repo.retentionDue(clock.now(), 10)).due).toContain(c.id);
    expect(await retention.runOnce()).toMatchObject({ redacted: 2, failed: 0 });
    const [crashed, clean] = [(await repo.get(c.id))!, (await repo.get(reference.id))!];
    expect({ events: crashed.case.redaction?.events, items: crashed.case.redaction?.items }).toEqual({ events: clean.case.redaction?.events, items: clean.case.redaction?.items });
    expect(verifyChain(await repo.auditEvents(c.id), crashed.head).valid).toBe(true);
  });
});
