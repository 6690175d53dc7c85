// The hash-chained audit trail: sealing, verification, and detection of every kind of tampering.
import { createHash } from 'node:crypto';
import { appendEvents, EMPTY_HEAD, GENESIS_HASH, REDACTION_EVENT, redactEvent, verifyChain, type AuditDraft } from '#domain/audit-chain';
import type { AuditEvent } from '#schemas/children';

const T0 = '2026-03-02T09:00:00.000Z';
const T1 = '2026-03-03T09:00:00.000Z';
const drafts: AuditDraft[] = [
  { actor: 'web-form', action: 'complaint.received', data: { reference: 'CMP-2026-000001', amount: { currency: 'GBP', amount: '10.00' } } },
  { actor: 'web-form', action: 'owner.assigned', data: { ownerId: 'alice', team: null } },
];

const chain = (): { events: AuditEvent[]; head: { seq: number; hash: string } } => {
  const first = appendEvents(EMPTY_HEAD, drafts, T0);
  const second = appendEvents(first.head, [{ actor: 'sam', action: 'owner.changed', data: { from: 'alice', to: 'bob' } }, { actor: 'bob', action: 'note.added', data: { body: 'x' } }], T1);
  return { events: [...first.events, ...second.events], head: second.head };
};

describe('appendEvents', () => {
  it('numbers events from the head and links each to the previous hash', () => {
    const { events, head } = chain();
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(events[0]?.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < events.length; i++) expect(events[i]?.prevHash).toBe(events[i - 1]?.hash);
    expect(head).toEqual({ seq: 4, hash: events[3]?.hash });
    expect(events[2]).toMatchObject({ actor: 'sam', action: 'owner.changed', at: T1 });
  });

  it('hash = sha256(prevHash ‖ canonical JSON of the event with dataDigest = sha256(salt ‖ canonical data))', () => {
    const [e] = appendEvents(EMPTY_HEAD, [{ actor: 'a', action: 'x', data: { b: 1, a: [true, null] } }], T0).events;
    expect(e?.salt).toMatch(/^[0-9a-f]{32}$/);
    const digest = createHash('sha256').update(e!.salt!).update('{"a":[true,null],"b":1}').digest('hex');
    const canonical = `{"action":"x","actor":"a","at":"${T0}","dataDigest":"${digest}","prevHash":"${GENESIS_HASH}","seq":1}`;
    expect(e?.hash).toBe(createHash('sha256').update(GENESIS_HASH).update(canonical).digest('hex'));
    expect(e?.dataDigest).toBeUndefined();
  });

  it('still verifies events written before salts (their data hashed directly)', () => {
    const body = { seq: 1, actor: 'a', action: 'x', at: T0, data: { b: 1 }, prevHash: GENESIS_HASH };
    const hash = createHash('sha256').update(GENESIS_HASH).update(`{"action":"x","actor":"a","at":"${T0}","data":{"b":1},"prevHash":"${GENESIS_HASH}","seq":1}`).digest('hex');
    expect(verifyChain([{ ...body, hash }], { seq: 1, hash })).toEqual({ valid: true, head: hash, length: 1 });
    expect(() => redactEvent({ ...body, hash }, { at: T1, by: 'system:retention', reason: 'retention' })).toThrow(/predates salted/);
  });

  it('does not depend on the key order of data (canonical JSON)', () => {
    const a = appendEvents(EMPTY_HEAD, [{ actor: 'a', action: 'x', data: { b: 1, a: { d: 2, c: 3 } } }], T0);
    // A stored event read back with its keys in another order still verifies.
    const shuffled = a.events.map((e) => ({ hash: e.hash, prevHash: e.prevHash, data: { a: { c: 3, d: 2 }, b: 1 }, salt: e.salt, at: e.at, action: e.action, actor: e.actor, seq: e.seq }));
    expect(verifyChain(shuffled, a.head).valid).toBe(true);
  });

  it('salts each event: equal data gives unequal digests, so a redacted digest cannot be tested against guesses', () => {
    const a = appendEvents(EMPTY_HEAD, [{ actor: 'a', action: 'x', data: { name: 'Ada' } }], T0);
    const b = appendEvents(EMPTY_HEAD, [{ actor: 'a', action: 'x', data: { name: 'Ada' } }], T0);
    expect(a.events[0]?.salt).not.toBe(b.events[0]?.salt);
    expect(a.head.hash).not.toBe(b.head.hash);
  });

  it('appending nothing leaves the head unchanged', () => {
    expect(appendEvents(EMPTY_HEAD, [], T0)).toEqual({ events: [], head: EMPTY_HEAD });
  });
});

describe('verifyChain', () => {
  it('accepts an untouched chain, in any read order, and reports its head', () => {
    const { events, head } = chain();
    expect(verifyChain(events, head)).toEqual({ valid: true, head: head.hash, length: 4 });
    expect(verifyChain([...events].reverse(), head).valid).toBe(true);
    expect(verifyChain([], EMPTY_HEAD)).toEqual({ valid: true, head: GENESIS_HASH, length: 0 });
  });

  const tampered = (i: number, edit: (e: AuditEvent) => AuditEvent) => {
    const { events, head } = chain();
    return verifyChain(events.map((e, j) => (j === i ? edit(e) : e)), head);
  };

  it('detects edited data at the edited seq', () => {
    const { events, head } = chain();
    const v = verifyChain(events.map((e, j) => (j === 1 ? { ...e, data: { ...e.data, ownerId: 'mallory' } } : e)), head);
    expect(v).toMatchObject({ valid: false, firstBrokenSeq: 2 });
    expect(v.problem).toMatch(/does not match its hash/);
    expect(v.head).toBe(events[0]?.hash);
  });

  it('detects an edited or dropped salt', () => {
    expect(tampered(1, (e) => ({ ...e, salt: '0'.repeat(32) }))).toMatchObject({ valid: false, firstBrokenSeq: 2 });
    expect(tampered(1, ({ salt: _s, ...e }) => e)).toMatchObject({ valid: false, firstBrokenSeq: 2 });
  });

  it('detects an edited actor, action or timestamp', () => {
    expect(tampered(2, (e) => ({ ...e, actor: 'mallory' }))).toMatchObject({ valid: false, firstBrokenSeq: 3 });
    expect(tampered(2, (e) => ({ ...e, action: 'owner.kept' }))).toMatchObject({ valid: false, firstBrokenSeq: 3 });
    expect(tampered(0, (e) => ({ ...e, at: T1 }))).toMatchObject({ valid: false, firstBrokenSeq: 1 });
  });

  it('detects a rewritten prevHash, even with a recomputed hash downstream', () => {
    const v = tampered(2, (e) => ({ ...e, prevHash: GENESIS_HASH }));
    expect(v).toMatchObject({ valid: false, firstBrokenSeq: 3 });
    expect(v.problem).toMatch(/prevHash/);
  });

  it('detects a re-sealed edit by the break in the next link', () => {
    // An attacker edits event 2 and recomputes its hash; event 3 still points at the old hash.
    const { events, head } = chain();
    const resealed = appendEvents({ seq: 1, hash: events[0]!.hash }, [{ actor: 'mallory', action: 'owner.assigned', data: {} }], events[1]!.at).events[0]!;
    const v = verifyChain([events[0]!, resealed, events[2]!, events[3]!], head);
    expect(v).toMatchObject({ valid: false, firstBrokenSeq: 3 });
  });

  it('detects a missing event', () => {
    const { events, head } = chain();
    const v = verifyChain(events.filter((e) => e.seq !== 2), head);
    expect(v).toMatchObject({ valid: false, firstBrokenSeq: 2 });
    expect(v.problem).toMatch(/expected seq 2/);
  });

  it('detects truncation of the newest events only when the expected head is given', () => {
    const { events, head } = chain();
    const truncated = events.slice(0, 2);
    expect(verifyChain(truncated).valid).toBe(true);
    const v = verifyChain(truncated, head);
    expect(v).toMatchObject({ valid: false, firstBrokenSeq: 3, length: 2 });
    expect(v.problem).toMatch(/head seq 4/);
    // A head hash that does not match (same length) is also refused.
    expect(verifyChain(events, { seq: 4, hash: GENESIS_HASH }).valid).toBe(false);
  });
});

describe('redactEvent', () => {
  const REDACTION = { at: T1, by: 'system:retention', reason: 'retention period ended' };

  /** The chain with event 4 (note.added) redacted and the chained event that records it. */
  const redactedChain = (seqs: number[] = [4]) => {
    const { events, head } = chain();
    const recorded = appendEvents(head, [{ actor: 'system:retention', action: REDACTION_EVENT, data: { redactedSeqs: seqs } }], T1);
    return { events: [...events.map((e) => (e.seq === 4 ? redactEvent(e, REDACTION) : e)), ...recorded.events], head: recorded.head, original: events };
  };

  it('removes data and salt, keeps the digest; with the redaction recorded the chain still verifies', () => {
    const { events, head, original } = redactedChain();
    const note = events.find((e) => e.action === 'note.added')!;
    expect(note).toMatchObject({ data: {}, redaction: REDACTION, hash: original[3]!.hash });
    expect(note.salt).toBeUndefined();
    expect(note.dataDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyChain(events, head)).toEqual({ valid: true, head: head.hash, length: 5 });
  });

  it('a redacted event whose digest was edited breaks the chain at that seq', () => {
    const { events, head } = redactedChain();
    expect(verifyChain(events.map((e) => (e.seq === 4 ? { ...e, dataDigest: '1'.repeat(64) } : e)), head)).toMatchObject({ valid: false, firstBrokenSeq: 4 });
  });

  it('a redaction no chained event records is refused (an event cannot be made to look redacted to hide it)', () => {
    const { events, head } = redactedChain([]);
    expect(verifyChain(events, head)).toMatchObject({ valid: false, firstBrokenSeq: 4, problem: expect.stringMatching(/no retention.redacted event records/) });
  });

  it('a kept digest on an event that still has data, no redaction record, or a salt is refused', () => {
    const { events, head } = chain();
    const digestOf4 = redactEvent(events[3]!, REDACTION).dataDigest!;
    const withDigest = (patch: (e: AuditEvent) => AuditEvent) => verifyChain(events.map((e) => (e.seq === 4 ? patch(e) : e)), head);
    // Data swapped under the kept digest: the content check would pass, the structure check does not.
    expect(withDigest(({ salt: _s, ...e }) => ({ ...e, dataDigest: digestOf4, data: { body: 'something else' }, redaction: REDACTION }))).toMatchObject({ valid: false, firstBrokenSeq: 4 });
    expect(withDigest(({ salt: _s, ...e }) => ({ ...e, dataDigest: digestOf4, data: {} }))).toMatchObject({ valid: false, firstBrokenSeq: 4 });
    expect(withDigest((e) => ({ ...e, dataDigest: digestOf4 }))).toMatchObject({ valid: false, firstBrokenSeq: 4, problem: expect.stringMatching(/both a salt/) });
  });
});
