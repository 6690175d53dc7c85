// Finding 8 of issue 25: the audit trail is anchored outside the table it protects. Someone with write access to the
// table who rewrites a note and recomputes every hash and the head, or deletes the newest event and rolls the head
// back, leaves a self-consistent chain; the signed digest in S3 Object Lock still holds the head it anchored, and the
// timeline answers valid:false, "rewritten after anchoring".
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { hashOf } from '#domain/audit-chain';
import { keys } from '#adapters/aws/dynamo/table-model';
import type { components } from '@complaints/client';
import type { AuditEvent } from '#schemas/children';
import { settle, startTestApi, validComplaint, type TestApi } from '../support/api';
import { rawDocClient } from '../support/dynamo';
import { verifyBundle } from '../../tools/complaint-verify/verify';

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

const addNote = (id: string, body: components['schemas']['CreateNote']) => settle(api.client(alice).POST('/v1/complaints/{id}/notes', { params: { path: { id } }, body }));

/** A case with five events: received, owner.assigned, and three notes. */
const caseWithNotes = async (): Promise<string> => {
  const created = await settle(api.client(supervisor).POST('/v1/complaints', { body: validComplaint({ ownerId: 'alice' }) }));
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  for (const body of ['Customer called about the missed delivery.', 'Depot confirms three failed attempts.', 'Customer accepts a refund of the delivery fee.']) {
    expect((await addNote(id, { kind: 'call_note', body })).status).toBe(201);
  }
  return id;
};

const timeline = async (id: string) => {
  const res = await settle(api.client(supervisor).GET('/v1/complaints/{id}/timeline', { params: { path: { id } } }));
  expect(res.status).toBe(200);
  return res.body as { items: AuditEvent[]; chain: { valid: boolean; problem?: string; length: number }; anchored: { digestId: string; at: string; seq: number } | null };
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
    expect(t.items[3]!.data.body).toBe('Depot confirms delivery was made.');
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
    expect((await addNote(id, { kind: 'finding', body: 'Refund paid.' })).status).toBe(201);
    expect((await timeline(id))).toMatchObject({ chain: { valid: true }, anchored: { seq: 5 } });

    await api.stack.runAuditDigest();

    expect((await timeline(id))).toMatchObject({ chain: { valid: true }, anchored: { seq: 6 } });
  });

  it('the table head of the digest chain is only a hint: rolled back, the next run finds the stored digest and goes on from it', async () => {
    const id = await caseWithNotes();
    await api.stack.runAuditDigest();
    const head = (await doc.send(new GetCommand({ TableName: api.tables.cases, Key: keys.digestHead }))).Item!;
    await doc.send(new PutCommand({ TableName: api.tables.cases, Item: { ...head, number: Number(head.number) - 1 } }));
    expect((await addNote(id, { kind: 'finding', body: 'Refund paid.' })).status).toBe(201);

    const run = (await api.stack.runAuditDigest()) as { outcome: string; number: number; caughtUp: number };

    expect(run).toMatchObject({ outcome: 'written', number: Number(head.number) + 1, caughtUp: 1 });
  });
});

describe('export bundles carry the proof, checked offline', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'anchor-bundles-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const exportBundle = async (id: string): Promise<string> => {
    const compliance = api.client(await api.token('cora', ['compliance']));
    const requested = await settle(compliance.POST('/v1/complaints/{id}/exports', { params: { path: { id } } }));
    expect(requested.status).toBe(202);
    await api.pump();
    const ready = await settle(compliance.GET('/v1/exports/{exportId}', { params: { path: { exportId: requested.body.exportId as string } } }));
    expect(ready.body.status).toBe('ready');
    const file = join(dir, `${id}.zip`);
    // The bundle comes from S3 on the presigned download URL, not from the API: a plain GET.
    writeFileSync(file, Buffer.from(await (await fetch(ready.body.downloadUrl as string)).arrayBuffer()));
    return file;
  };
  const publicKey = async () => (await settle(api.client(alice).GET('/v1/exports/public-key'))).body.publicKeyPem as string;

  it('every export writes a digest anchoring the exported head; complaint-verify checks the digest signature and the Merkle proof', async () => {
    const id = await caseWithNotes();
    const file = await exportBundle(id);

    const report = await verifyBundle(file, { publicKeyPem: await publicKey() });

    expect(report.failures).toEqual([]);
    expect(report.checks.find((c) => c.check === 'anchor')).toMatchObject({ status: 'pass' });
    // The export's digest anchors the case (before the export.completed event): the timeline reports it.
    expect((await timeline(id)).anchored).toMatchObject({ seq: expect.any(Number) });
  });

  it('checked with a key other than the export signing key, the digest signature fails the anchor check', async () => {
    const id = await caseWithNotes();
    const file = await exportBundle(id);
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'pem', type: 'spki' }).toString();

    const report = await verifyBundle(file, { publicKeyPem: other });

    expect(report.ok).toBe(false);
    expect(report.failures).toContainEqual(expect.objectContaining({ check: 'anchor', detail: expect.stringContaining('the signature does not verify') }));
  });
});
