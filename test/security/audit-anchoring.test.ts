// Finding 8 of issue 25: the audit trail is anchored outside the table it protects. Someone with write access to the
// table who rewrites a note and recomputes every hash and the head, or deletes the newest event and rolls the head
// back, leaves a self-consistent chain; the signed digest in S3 Object Lock still holds the head it anchored, and the
// timeline answers valid:false, "rewritten after anchoring".
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { hashOf } from '#domain/audit-chain';
import { keys } from '#adapters/aws/dynamo/table-model';
import type { AuditEvent } from '#schemas/children';
import { complaintBody, startTestApi, type TestApi } from '../support/api';
import { rawDocClient } from '../support/dynamo';

let api: TestApi;
let supervisor: string;
let alice: string;
const doc = rawDocClient();

beforeAll(async () => {
  api = await startTestApi({}, { auditDigest: true });
  supervisor = await api.token('sam', ['supervisor']);
  alice = await api.token('alice', ['handler']);
});
afterAll(() => api.close());

/** A case with five events: received, owner.assigned, and three notes. */
const caseWithNotes = async (): Promise<string> => {
  const created = await api.call('POST', '/v1/complaints', { token: supervisor, body: complaintBody({ ownerId: 'alice' }) });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  for (const body of ['Customer called about the missed delivery.', 'Depot confirms three failed attempts.', 'Customer accepts a refund of the delivery fee.']) {
    expect((await api.call('POST', `/v1/complaints/${id}/notes`, { token: alice, body: { kind: 'call_note', body } })).status).toBe(201);
  }
  return id;
};

const timeline = async (id: string) => {
  const res = await api.call('GET', `/v1/complaints/${id}/timeline`, { token: supervisor });
  expect(res.status).toBe(200);
  return res.body as { events: AuditEvent[]; chain: { valid: boolean; problem?: string; length: number }; anchored: { digestId: string; at: string; seq: number } | null };
};

type StoredEvent = AuditEvent & { PK: string; SK: string; entity: string; caseId: string };

const storedEvents = async (id: string) => {
  const out = await doc.send(new QueryCommand({ TableName: api.tables.cases, KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)', ExpressionAttributeValues: { ':pk': keys.casePk(id), ':p': keys.auditPrefix } }));
  return (out.Items ?? []) as StoredEvent[];
};

/** What an insider with table access does: rewrite event `seq`'s data, recompute its hash and every later one, and the case's head. */
const rewriteAndRehash = async (id: string, seq: number, data: Record<string, unknown>) => {
  const items = (await storedEvents(id)).sort((a, b) => a.seq - b.seq);
  let prev = items[seq - 2]!.hash;
  for (const item of items.slice(seq - 1)) {
    const changed = { ...item, ...(item.seq === seq ? { data } : {}), prevHash: prev };
    const { PK: _pk, SK: _sk, entity: _e, caseId: _c, hash: _h, ...event } = changed;
    changed.hash = hashOf(event);
    prev = changed.hash;
    await doc.send(new PutCommand({ TableName: api.tables.cases, Item: changed }));
  }
  await doc.send(new UpdateCommand({ TableName: api.tables.cases, Key: keys.case(id), UpdateExpression: 'SET headHash = :h', ExpressionAttributeValues: { ':h': prev } }));
};

/** Delete the newest event and roll the case's head back to the one before. */
const cutNewest = async (id: string) => {
  const items = (await storedEvents(id)).sort((a, b) => a.seq - b.seq);
  const last = items.at(-1)!;
  const before = items.at(-2)!;
  await doc.send(new DeleteCommand({ TableName: api.tables.cases, Key: keys.audit(id, last.seq) }));
  await doc.send(new UpdateCommand({ TableName: api.tables.cases, Key: keys.case(id), UpdateExpression: 'SET headSeq = :s, headHash = :h', ExpressionAttributeValues: { ':s': before.seq, ':h': before.hash } }));
};

describe('audit anchoring (S3 Object Lock digests)', () => {
  it('the digest job, run as the local clock passes its period, anchors every changed case and the timeline reports it', async () => {
    const id = await caseWithNotes();
    expect((await timeline(id)).anchored).toBeNull();

    await api.advanceClock('PT16M');

    const t = await timeline(id);
    expect(t.chain.valid).toBe(true);
    expect(t.anchored).toEqual({ digestId: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/), at: expect.any(String), seq: 5 });
  });

  it('without an anchor a rewritten, re-hashed chain passes: that is the gap the digest closes', async () => {
    const id = await caseWithNotes();
    await rewriteAndRehash(id, 4, { kind: 'call_note', body: 'Depot confirms delivery was made.' });
    expect((await timeline(id)).chain.valid).toBe(true);
  });

  it('a note rewritten with every hash and the head recomputed after anchoring is valid:false, "rewritten after anchoring"', async () => {
    const id = await caseWithNotes();
    await api.stack.runAuditDigest();
    expect((await timeline(id)).chain.valid).toBe(true);

    await rewriteAndRehash(id, 4, { kind: 'call_note', body: 'Depot confirms delivery was made.' });

    const t = await timeline(id);
    expect(t.events[3]!.data.body).toBe('Depot confirms delivery was made.');
    expect(t.chain).toMatchObject({ valid: false, problem: 'rewritten after anchoring' });
    expect(t.anchored?.seq).toBe(5);
  });

  it('the newest event deleted and the head rolled back after anchoring is valid:false, "rewritten after anchoring"', async () => {
    const id = await caseWithNotes();
    await api.stack.runAuditDigest();

    await cutNewest(id);

    const t = await timeline(id);
    expect(t.chain).toMatchObject({ valid: false, problem: 'rewritten after anchoring', length: 4 });
  });

  it('events written after the anchor keep the chain valid; the next digest anchors the new head', async () => {
    const id = await caseWithNotes();
    await api.stack.runAuditDigest();
    expect((await api.call('POST', `/v1/complaints/${id}/notes`, { token: alice, body: { kind: 'finding', body: 'Refund paid.' } })).status).toBe(201);
    expect((await timeline(id))).toMatchObject({ chain: { valid: true }, anchored: { seq: 5 } });

    await api.stack.runAuditDigest();

    expect((await timeline(id))).toMatchObject({ chain: { valid: true }, anchored: { seq: 6 } });
  });

  it('the table head of the digest chain is only a hint: rolled back, the next run finds the stored digest and goes on from it', async () => {
    const id = await caseWithNotes();
    await api.stack.runAuditDigest();
    const head = (await doc.send(new GetCommand({ TableName: api.tables.cases, Key: keys.digestHead }))).Item!;
    await doc.send(new PutCommand({ TableName: api.tables.cases, Item: { ...head, number: Number(head.number) - 1 } }));
    expect((await api.call('POST', `/v1/complaints/${id}/notes`, { token: alice, body: { kind: 'finding', body: 'Refund paid.' } })).status).toBe(201);

    const run = (await api.stack.runAuditDigest()) as { outcome: string; number: number; caughtUp: number };

    expect(run).toMatchObject({ outcome: 'written', number: Number(head.number) + 1, caughtUp: 1 });
  });
});
