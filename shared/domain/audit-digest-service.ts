// Audit digest use cases: the digest job (scheduled, and at every export), a case's newest anchor for the timeline,
// and the proof an export bundle carries. See #domain/audit-digest for the format and the checks.
import type { BundleAnchor, CaseAnchor, DigestBody, DigestLeaf, StoredDigest } from '#schemas/audit-digest';
import type { AnchorStore, DigestLedger } from '#ports/audit-anchors';
import type { Clock } from '#ports/clock';
import type { IdGenerator } from '#ports/ids';
import type { ManifestSigner } from '#ports/manifest-signer';
import type { ChainHead } from './audit-chain';
import { anchorsOf, buildDigest, CHANGE_LOOKBACK_MS, digestHash, GENESIS_DIGEST, signedBytes } from './audit-digest';

export interface AuditDigestDeps {
  ledger: DigestLedger;
  store: AnchorStore;
  signer: ManifestSigner;
  clock: Clock;
  ids: IdGenerator;
  /** Compliance-mode retention of digests and anchors, days from the digest. */
  retentionDays: number;
}

export type DigestRun = { outcome: 'written'; digest: StoredDigest; caughtUp: number } | { outcome: 'nothing_changed'; caughtUp: number };

/** Concurrent runs (the schedule and an export) race for the next number; the loser builds again on the winner. */
const MAX_ATTEMPTS = 5;
/** Anchor objects written at once. */
const ANCHOR_CONCURRENCY = 16;
const DAY_MS = 86_400_000;

export class AuditDigestService {
  constructor(private readonly deps: AuditDigestDeps) {}

  private retainUntil(at: string): string {
    return new Date(Date.parse(at) + this.deps.retentionDays * DAY_MS).toISOString();
  }

  /**
   * One digest over every case changed since the previous digest (and `include`, e.g. the case being exported, at
   * exactly the head given). A digest already stored but not yet recorded (a run that stopped half-way) is recorded
   * first. Nothing is written when nothing changed.
   */
  async run(o: { include?: DigestLeaf[] } = {}): Promise<DigestRun> {
    const { ledger, store, signer, clock, ids } = this.deps;
    let caughtUp = 0;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const head = await ledger.head();
      const stored = await store.getDigest((head?.number ?? 0) + 1);
      if (stored) {
        await this.record(stored);
        caughtUp++;
        attempt = 0;
        continue;
      }
      const at = clock.now();
      const since = head ? new Date(Date.parse(head.at) - CHANGE_LOOKBACK_MS).toISOString() : null;
      const leaves = [...(await ledger.changedCases(since)), ...(o.include ?? [])];
      if (leaves.length === 0) return { outcome: 'nothing_changed', caughtUp };
      const built = buildDigest({ previous: head ? { number: head.number, hash: head.hash } : GENESIS_DIGEST, leaves, digestId: ids.next(), at, changedSince: since, keyId: await signer.keyId() });
      const digest: StoredDigest = { body: built.body, signature: (await signer.sign(signedBytes(built.body))).toString('base64'), leaves: built.leaves };
      if (!(await store.putDigest(digest, this.retainUntil(at)))) continue;
      await this.record(digest);
      return { outcome: 'written', digest, caughtUp };
    }
    throw new Error(`no audit digest written after ${MAX_ATTEMPTS} attempts: other runs kept taking the next number`);
  }

  /** Writes every case's anchor of a stored digest, then moves the table's head to it. */
  private async record(d: StoredDigest): Promise<void> {
    const anchors = anchorsOf(d);
    const retainUntil = this.retainUntil(d.body.at);
    for (let i = 0; i < anchors.length; i += ANCHOR_CONCURRENCY) await Promise.all(anchors.slice(i, i + ANCHOR_CONCURRENCY).map((a) => this.deps.store.putCaseAnchor(a, retainUntil)));
    await this.deps.ledger.advance(d.body.number - 1, { number: d.body.number, hash: digestHash(d.body), digestId: d.body.digestId, at: d.body.at });
  }

  /** The export's proof: a digest written now that anchors the case at exactly the head the bundle records. */
  async anchorForExport(caseId: string, head: ChainHead): Promise<BundleAnchor> {
    const leaf: DigestLeaf = { caseId, seq: head.seq, hash: head.hash };
    const out = await this.run({ include: [leaf] });
    if (out.outcome !== 'written') throw new Error('the export digest was not written');
    const anchor = anchorsOf(out.digest).find((a) => a.leaf.caseId === caseId);
    if (!anchor) throw new Error(`digest ${out.digest.body.digestId} does not include case ${caseId}`);
    return { digest: { body: out.digest.body, signature: out.digest.signature }, leaf: anchor.leaf, proof: anchor.proof };
  }

  /** The case's newest anchor and the digest it is in; undefined until the case is first anchored. */
  latest(caseId: string): Promise<(CaseAnchor & { digest: DigestBody }) | undefined> {
    return latestAnchor(this.deps.store, caseId);
  }
}

/** A case's newest anchor and the digest it is in (undefined until the case is first anchored): the anchor store alone. */
export const latestAnchor = async (store: Pick<AnchorStore, 'latestCaseAnchor' | 'getDigest'>, caseId: string): Promise<(CaseAnchor & { digest: DigestBody }) | undefined> => {
  const anchor = await store.latestCaseAnchor(caseId);
  if (!anchor) return undefined;
  const digest = await store.getDigest(anchor.digestNumber);
  if (!digest) throw new Error(`case ${caseId} is anchored in digest ${anchor.digestNumber}, which the store does not hold`);
  return { ...anchor, digest: digest.body };
};
