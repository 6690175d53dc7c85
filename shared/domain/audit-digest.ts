// Audit digests, the pure part (issue 25, finding 8): a digest commits to the audit chain head of every case that
// changed since the previous digest through a Merkle root (#domain/merkle), is chained to the previous digest by the
// SHA-256 of its canonical body, and is signed with the export signing key. A case's stored chain is then checked
// against the newest digest that anchors it: a chain rewritten (hashes and head recomputed) or cut back after anchoring
// no longer reaches the anchored hash at the anchored seq. No I/O here.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import type { AuditEvent } from '#schemas/children';
import type { BundleAnchor, CaseAnchor, DigestBody, DigestLeaf, MerkleProof, SignedDigest, StoredDigest } from '#schemas/audit-digest';
import { DIGEST_FORMAT, MERKLE_ALGORITHM, SIGNING_ALGORITHM } from '#schemas/constants';
import type { ChainVerdict } from './audit-chain';
import { inclusionPath, leafHash, merkleRoot, verifyInclusion } from './merkle';

/** What the first digest chains to. */
export const GENESIS_DIGEST = { number: 0, hash: '0'.repeat(64) } as const;
/** The problem the timeline reports when the stored chain no longer matches an anchored digest. */
export const REWRITTEN_AFTER_ANCHORING = 'rewritten after anchoring';
/**
 * How far before the previous digest's time the next one looks for changed cases: a change committed (and indexed)
 * just after a digest read the index, with a timestamp just before it, is still picked up by the next digest.
 */
export const CHANGE_LOOKBACK_MS = 5 * 60_000;

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** The leaf as hashed into the tree: RFC 8785 canonical JSON of { caseId, seq, hash }. */
export const digestLeafHash = (l: DigestLeaf): string => leafHash(canonicalize({ caseId: l.caseId, seq: l.seq, hash: l.hash }));

/** What the next digest chains to: SHA-256 of the canonical JSON of the body (the signature is over the same bytes). */
export const digestHash = (body: DigestBody): string => sha256(canonicalize(body));
export const signedBytes = (body: DigestBody): Buffer => Buffer.from(canonicalize(body), 'utf8');

/** Leaves in tree order: by case id, one per case (a later entry for a case replaces an earlier one). */
export const orderLeaves = (leaves: readonly DigestLeaf[]): DigestLeaf[] => {
  const byCase = new Map<string, DigestLeaf>();
  for (const l of leaves) byCase.set(l.caseId, l);
  return [...byCase.values()].sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0));
};

/** The unsigned body of the next digest and its leaves in tree order. */
export const buildDigest = (o: {
  previous: { number: number; hash: string };
  leaves: readonly DigestLeaf[];
  digestId: string;
  at: string;
  changedSince: string | null;
  keyId: string;
}): { body: DigestBody; leaves: DigestLeaf[] } => {
  const leaves = orderLeaves(o.leaves);
  if (leaves.length === 0) throw new Error('a digest anchors at least one case');
  return {
    leaves,
    body: {
      format: DIGEST_FORMAT,
      digestId: o.digestId,
      number: o.previous.number + 1,
      at: o.at,
      previous: { number: o.previous.number, hash: o.previous.hash },
      merkle: { algorithm: MERKLE_ALGORITHM, root: merkleRoot(leaves.map(digestLeafHash)), size: leaves.length },
      changedSince: o.changedSince,
      signing: { keyId: o.keyId, algorithm: SIGNING_ALGORITHM },
    },
  };
};

/** Every case's anchor in a stored digest (its leaf and inclusion proof). */
export const anchorsOf = (d: StoredDigest): CaseAnchor[] => {
  const hashes = d.leaves.map(digestLeafHash);
  return d.leaves.map((leaf, i) => ({
    digestNumber: d.body.number,
    digestId: d.body.digestId,
    at: d.body.at,
    leaf,
    proof: { leafIndex: i, treeSize: hashes.length, path: inclusionPath(i, hashes) },
  }));
};

/** Whether the signature is the P-256 ECDSA (DER) signature of the canonical body by this public key (SPKI PEM). */
export const verifyDigestSignature = (d: SignedDigest, publicKeyPem: string): boolean => {
  try {
    return verify('sha256', signedBytes(d.body), { key: createPublicKey(publicKeyPem), dsaEncoding: 'der' }, Buffer.from(d.signature, 'base64'));
  } catch {
    return false;
  }
};

/** Whether the leaf is in the digest's tree at the proof's position. */
export const proofHolds = (leaf: DigestLeaf, proof: MerkleProof, body: DigestBody): boolean =>
  proof.treeSize === body.merkle.size && verifyInclusion(digestLeafHash(leaf), proof, body.merkle.root);

/**
 * The chain verdict once the newest anchor of the case is taken into account. An anchor that no longer matches the
 * stored chain (the event at the anchored seq is gone or has another hash) means the chain was rewritten after
 * anchoring, however self-consistent it now is; a chain already found broken keeps its own verdict.
 */
export const checkAgainstAnchor = (
  caseId: string,
  verdict: ChainVerdict,
  events: readonly AuditEvent[],
  anchor: { leaf: DigestLeaf; proof: MerkleProof; digest: DigestBody },
): ChainVerdict => {
  if (!verdict.valid) return verdict;
  if (anchor.leaf.caseId !== caseId || !proofHolds(anchor.leaf, anchor.proof, anchor.digest)) {
    return { ...verdict, valid: false, problem: `the anchor in digest ${anchor.digest.digestId} does not prove this case's head (Merkle proof fails)` };
  }
  const at = events.find((e) => e.seq === anchor.leaf.seq);
  if (!at) return { ...verdict, valid: false, firstBrokenSeq: verdict.length + 1, problem: REWRITTEN_AFTER_ANCHORING };
  if (at.hash !== anchor.leaf.hash) return { ...verdict, valid: false, firstBrokenSeq: anchor.leaf.seq, problem: REWRITTEN_AFTER_ANCHORING };
  return verdict;
};

/**
 * The offline check of a bundle's audit-anchor.json: the digest's signature by the given key, the case's leaf in the
 * digest's tree, and the leaf against the bundle's own chain (the event at the anchored seq has the anchored hash).
 * Returns the problems found (none: the bundle's chain is the one anchored).
 */
export const checkBundleAnchor = (a: BundleAnchor, o: { caseId: string; events: readonly AuditEvent[]; publicKeyPem: string }): string[] => {
  const problems: string[] = [];
  if (!verifyDigestSignature(a.digest, o.publicKeyPem)) problems.push(`digest ${a.digest.body.digestId} (number ${a.digest.body.number}): the signature does not verify with the key used`);
  if (a.leaf.caseId !== o.caseId) problems.push(`the anchored leaf is for case ${a.leaf.caseId}, the bundle is for case ${o.caseId}`);
  if (!proofHolds(a.leaf, a.proof, a.digest.body)) problems.push(`the Merkle proof does not lead from the case's leaf to the digest's root ${a.digest.body.merkle.root}`);
  const at = o.events.find((e) => e.seq === a.leaf.seq);
  if (!at) problems.push(`the digest anchors seq ${a.leaf.seq}, the bundle's timeline has no such event (${REWRITTEN_AFTER_ANCHORING})`);
  else if (at.hash !== a.leaf.hash) problems.push(`event ${a.leaf.seq} has hash ${at.hash}, the digest anchored ${a.leaf.hash} (${REWRITTEN_AFTER_ANCHORING})`);
  return problems;
};
