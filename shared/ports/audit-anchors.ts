// What the audit digest needs: the store outside the table (S3 Object Lock, compliance mode) that keeps every digest and
// every case's anchor in it, and the table's view of where the digest chain stands and which cases changed.
import type { CaseAnchor, DigestLeaf, StoredDigest } from '#schemas/audit-digest';

export interface AnchorStore {
  /** Writes digest number N once; false when number N is already stored (another run took it). */
  putDigest(d: StoredDigest, retainUntil: string): Promise<boolean>;
  getDigest(number: number): Promise<StoredDigest | undefined>;
  /** Writes a case's anchor in a digest; writing the same anchor again is a no-op. */
  putCaseAnchor(a: CaseAnchor, retainUntil: string): Promise<void>;
  /** The case's anchor in the newest digest that includes it. */
  latestCaseAnchor(caseId: string): Promise<CaseAnchor | undefined>;
}

/** The newest digest recorded in the table (a hint: the store is the truth, and a run catches up with it). */
export interface DigestHead {
  number: number;
  hash: string;
  digestId: string;
  at: string;
}

export interface DigestLedger {
  head(): Promise<DigestHead | undefined>;
  /** Records `next` if the head is still at `expectedNumber` (0: none yet); false when another run moved it. */
  advance(expectedNumber: number, next: DigestHead): Promise<boolean>;
  /** The audit heads of every case whose item changed at or after `since` (every case when null). */
  changedCases(since: string | null): Promise<DigestLeaf[]>;
}
