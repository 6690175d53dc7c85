// The hash-chained audit trail: recomputed independently, and tampering in DynamoDB is reported by the timeline.
import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#adapters/aws/dynamo/table-model';
import { settle, startTestApi, validComplaint, type TestApi } from '../support/api';
import { rawDocClient } from '../support/dynamo';

interface AuditEvent {
  seq: number;
  actor: string;
  action: string;
  at: string;
  data: Record<string, unknown>;
  salt?: string;
  prevHash: string;
  hash: string;
}
interface Timeline {
  items: AuditEvent[];
  chain: { valid: boolean; head: string; length: number; firstBrokenSeq?: number; problem?: string };
}

const GENESIS = '0'.repeat(64);
/**
 * The documented formula: dataDigest = sha256(salt ‖ RFC 8785 canonical JSON of data);
 * hash = sha256(prevHash ‖ canonical JSON of {seq, actor, action, at, dataDigest, prevHash}).
 */
const expectedHash = (e: Omit<AuditEvent, 'hash'>): string => {
  const dataDigest = createHash('sha256').update(`${e.salt ?? ''}${canonicalize(e.data)}`, 'utf8').digest('hex');
  return createHash('sha256')
    .update(e.prevHash + canonicalize({ seq: e.seq, actor: e.actor, action: e.action, at: e.at, dataDigest, prevHash: e.prevHash }), 'utf8')
    .digest('hex');
};

let api: TestApi;
let supervisor: string;
let alice: string;
const doc = rawDocClient();

/** A case with six audit events: received, owner.assigned, owner.changed, acknowledgement.sent, task.created, note.added. */
const caseWithHistory = async (): Promise<string> => {
  const created = await settle(api.client(supervisor).POST('/v1/complaints', { body: validComplaint({ ownerId: 'bob' }) }));
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const path = { id };
  const steps = [
    await settle(api.client(supervisor).POST('/v1/complaints/{id}/owner', { params: { path }, body: { ownerId: 'alice', reason: 'Specialist in delivery disputes' } })),
    await settle(api.client(alice).POST('/v1/complaints/{id}/acknowledgement', { params: { path }, body: { text: 'We have your complaint.' } })),
    await settle(api.client(alice).POST('/v1/complaints/{id}/tasks', { params: { path }, body: { title: 'Pull depot logs', team: 'operations' } })),
    await settle(api.client(alice).POST('/v1/complaints/{id}/notes', { params: { path }, body: { kind: 'call_note', body: 'Customer confirmed three missed slots.' } })),
  ];
  expect(steps.map((s) => s.status)).toEqual([200, 200, 201, 201]);
  return id;
};

const timeline = async (id: string): Promise<Timeline> => {
  const res = await settle(api.client(supervisor).GET('/v1/complaints/{id}/timeline', { params: { path: { id } } }));
  expect(res.status).toBe(200);
  return res.body as Timeline;
};

const auditKey = (id: string, seq: number) => ({ TableName: api.tables.cases, Key: keys.audit(id, seq) });

beforeAll(async () => {
  api = await startTestApi();
  supervisor = await api.token('sam', ['supervisor']);
  alice = await api.token('alice', ['handler']);
});
afterAll(() => api.close());

describe('audit chain', () => {
  it('links every event to the previous one with the documented hash formula, recomputed independently', async () => {
    const id = await caseWithHistory();

    const { items: events, chain } = await timeline(id);

    expect(events.map((e) => e.action)).toEqual(['complaint.received', 'owner.assigned', 'owner.changed', 'acknowledgement.sent', 'task.created', 'note.added']);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    let prev = GENESIS;
    for (const e of events) {
      expect(e.prevHash).toBe(prev);
      expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(e.hash).toBe(expectedHash(e));
      prev = e.hash;
    }
    expect(chain).toMatchObject({ valid: true, head: prev, length: 6 });
    expect(chain.firstBrokenSeq).toBeUndefined();
    expect(events[2]).toMatchObject({ actor: 'sam', data: { from: 'bob', to: 'alice' } });
  });

  it('reports an edited data field at the edited seq', async () => {
    const id = await caseWithHistory();
    await doc.send(
      new UpdateCommand({ ...auditKey(id, 6), UpdateExpression: 'SET #data.#body = :b', ExpressionAttributeNames: { '#data': 'data', '#body': 'body' }, ExpressionAttributeValues: { ':b': 'Customer withdrew the complaint.' } }),
    );

    const { items: events, chain } = await timeline(id);

    expect(events[5]!.data.body).toBe('Customer withdrew the complaint.');
    expect(chain.valid).toBe(false);
    expect(chain.firstBrokenSeq).toBe(6);
  });

  it('reports an edited actor in the middle of the chain at that seq', async () => {
    const id = await caseWithHistory();
    await doc.send(new UpdateCommand({ ...auditKey(id, 3), UpdateExpression: 'SET actor = :a', ExpressionAttributeValues: { ':a': 'mallory' } }));

    const { chain } = await timeline(id);

    expect(chain.valid).toBe(false);
    expect(chain.firstBrokenSeq).toBe(3);
  });

  it('detects a deleted newest event thanks to the head recorded on the case', async () => {
    const id = await caseWithHistory();
    await doc.send(new DeleteCommand(auditKey(id, 6)));

    const { items: events, chain } = await timeline(id);

    expect(events).toHaveLength(5);
    expect(chain.valid).toBe(false);
    expect(chain.firstBrokenSeq).toBe(6);
  });

  it('detects a deleted event in the middle and names the missing seq', async () => {
    const id = await caseWithHistory();
    await doc.send(new DeleteCommand(auditKey(id, 3)));

    const { items: events, chain } = await timeline(id);

    expect(events.map((e) => e.seq)).toEqual([1, 2, 4, 5, 6]);
    expect(chain.valid).toBe(false);
    expect(chain.problem).toMatch(/expected seq 3/);
    expect(chain.firstBrokenSeq).toBe(3);
  });

  it('detects a rewritten newest event even when its hash was recomputed, via the case head', async () => {
    const id = await caseWithHistory();
    const raw = (await doc.send(new GetCommand(auditKey(id, 6)))).Item as AuditEvent & Record<string, unknown>;
    const forged = { ...raw, data: { ...raw.data, body: 'Customer was satisfied.' } };
    await doc.send(new PutCommand({ TableName: api.tables.cases, Item: { ...forged, hash: expectedHash(forged) } }));

    const { items: events, chain } = await timeline(id);

    expect(events[5]!.hash).toBe(expectedHash(events[5]!));
    expect(chain.valid).toBe(false);
    expect(chain.firstBrokenSeq).toBe(6);
  });

  it('shows a rewritten middle event with a recomputed hash at the next link', async () => {
    const id = await caseWithHistory();
    const raw = (await doc.send(new GetCommand(auditKey(id, 3)))).Item as AuditEvent & Record<string, unknown>;
    const forged = { ...raw, data: { ...raw.data, reason: 'Because I said so' } };
    await doc.send(new PutCommand({ TableName: api.tables.cases, Item: { ...forged, hash: expectedHash(forged) } }));

    const { chain } = await timeline(id);

    expect(chain.valid).toBe(false);
    expect(chain.firstBrokenSeq).toBe(4);
  });
});
