// The tamper-evident audit chain. Each event commits to its data through a salted digest, so personal data can be
// redacted at the end of retention while every link still recomputes:
//   dataDigest = sha256(salt ‖ RFC 8785 canonical JSON of data)
//   hash       = sha256(prevHash ‖ canonical JSON of { seq, actor, action, at, dataDigest, prevHash })
// A redacted event keeps its dataDigest and loses its data and its salt (without the salt nobody can test guesses of
// what it said). Events written before salts existed (no `salt`, no `dataDigest`) hash their data directly:
//   hash = sha256(prevHash ‖ canonical JSON of { seq, actor, action, at, data, prevHash }).
import { createHash, randomBytes } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import type { AuditEvent } from '#schemas/children';

export const GENESIS_HASH = '0'.repeat(64);
/** The audit event that records a redaction; its `data.redactedSeqs` lists every event it removed data from. */
export const REDACTION_EVENT = 'retention.redacted';

export interface AuditDraft {
  actor: string;
  action: string;
  data: Record<string, unknown>;
}

export interface ChainHead {
  seq: number;
  hash: string;
}

export const EMPTY_HEAD: ChainHead = { seq: 0, hash: GENESIS_HASH };

const sha256 = (...parts: string[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

/** The digest an event's data is committed by: recomputed from data and salt, or the one a redacted event kept. */
export const dataDigestOf = (e: Pick<AuditEvent, 'data' | 'salt' | 'dataDigest'>): string | undefined =>
  e.salt !== undefined ? sha256(e.salt, canonicalize(e.data)) : e.dataDigest;

export const hashOf = (e: Omit<AuditEvent, 'hash'>): string => {
  const digest = dataDigestOf(e);
  const body = digest === undefined ? { data: e.data } : { dataDigest: digest };
  return sha256(e.prevHash, canonicalize({ seq: e.seq, actor: e.actor, action: e.action, at: e.at, ...body, prevHash: e.prevHash }));
};

/** The event with its data removed: the salt goes, the digest stays, so the chain still links through it. */
export const redactEvent = (e: AuditEvent, redaction: NonNullable<AuditEvent['redaction']>): AuditEvent => {
  const digest = dataDigestOf(e);
  if (digest === undefined) throw new Error(`event ${e.seq} predates salted data digests and cannot be redacted without breaking the chain`);
  const { salt: _salt, ...rest } = e;
  return { ...rest, data: {}, dataDigest: digest, redaction };
};

/** Appends drafts to a chain, returning the sealed events and the new head. */
export const appendEvents = (head: ChainHead, drafts: readonly AuditDraft[], at: string): { events: AuditEvent[]; head: ChainHead } => {
  let { seq, hash } = head;
  const events = drafts.map((d) => {
    const body = { seq: ++seq, actor: d.actor, action: d.action, at, data: d.data, salt: randomBytes(16).toString('hex'), prevHash: hash };
    hash = hashOf(body);
    return { ...body, hash };
  });
  return { events, head: { seq, hash } };
};

export interface ChainVerdict {
  valid: boolean;
  head: string;
  length: number;
  firstBrokenSeq?: number;
  problem?: string;
}

/**
 * Recomputes every link. `expected` (the head recorded on the case) catches truncation:
 * deleting the newest events leaves a self-consistent but shorter chain.
 */
export const verifyChain = (events: readonly AuditEvent[], expected?: ChainHead): ChainVerdict => {
  const sorted = [...events].sort((a, b) => a.seq - b.seq);
  let prev = GENESIS_HASH;
  /** Seqs that claim to be redacted, and those a chained redaction event says it redacted. */
  const claimed: number[] = [];
  const recorded = new Set<number>();
  for (const [i, e] of sorted.entries()) {
    const broken = (problem: string, seq = e.seq): ChainVerdict => ({ valid: false, head: prev, length: sorted.length, firstBrokenSeq: seq, problem });
    // A gap is reported at the missing seq, the first place the chain is broken.
    if (e.seq !== i + 1) return broken(`expected seq ${i + 1}, found ${e.seq} (an event is missing)`, i + 1);
    if (e.prevHash !== prev) return broken('prevHash does not match the previous event’s hash');
    // A kept digest stands in for data only on a redacted event: one that has lost its data and its salt.
    if (e.salt !== undefined && e.dataDigest !== undefined) return broken('the event carries both a salt and a kept data digest');
    if (e.salt === undefined && e.dataDigest !== undefined) {
      if (!e.redaction || Object.keys(e.data).length > 0) return broken('the event has a kept data digest but is not a redacted event (no redaction record, or data left)');
      claimed.push(e.seq);
    }
    if (hashOf(e) !== e.hash) return broken('event content does not match its hash (edited after it was written)');
    if (e.action === REDACTION_EVENT && Array.isArray(e.data.redactedSeqs)) for (const n of e.data.redactedSeqs) if (typeof n === 'number') recorded.add(n);
    prev = e.hash;
  }
  // Redaction is itself a chained event naming what it removed: an event made to look redacted without one is caught.
  const unrecorded = claimed.find((n) => !recorded.has(n));
  if (unrecorded !== undefined) {
    return { valid: false, head: prev, length: sorted.length, firstBrokenSeq: unrecorded, problem: `event ${unrecorded} is redacted but no ${REDACTION_EVENT} event records its redaction` };
  }
  if (expected && expected.seq === sorted.length && expected.hash !== prev) {
    // Same length, other head: the newest event was rewritten (hash recomputed) after the case recorded it.
    return { valid: false, head: prev, length: sorted.length, firstBrokenSeq: sorted.length, problem: `the newest event (seq ${sorted.length}) does not match the head recorded on the case` };
  }
  if (expected && expected.seq !== sorted.length) {
    return { valid: false, head: prev, length: sorted.length, firstBrokenSeq: Math.min(sorted.length, expected.seq) + 1, problem: `case records head seq ${expected.seq}; chain ends at seq ${sorted.length}` };
  }
  return { valid: true, head: prev, length: sorted.length };
};
