// The Merkle tree of audit digests, as RFC 9162 §2.1 defines it (Certificate Transparency v2): leaf hashes are
// SHA-256(0x00 ‖ leaf), interior nodes SHA-256(0x01 ‖ left ‖ right), and a tree of n leaves splits at the largest
// power of two below n. The prefixes keep a leaf from ever passing for a node. Pure: no I/O.
import { createHash } from 'node:crypto';

const sha256 = (...parts: Buffer[]): string => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};
const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

export const leafHash = (leaf: Buffer | string): string => sha256(LEAF, Buffer.isBuffer(leaf) ? leaf : Buffer.from(leaf, 'utf8'));
export const nodeHash = (left: string, right: string): string => sha256(NODE, Buffer.from(left, 'hex'), Buffer.from(right, 'hex'));

/** The largest power of two strictly below n (n ≥ 2). */
const split = (n: number): number => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

/** MTH(D[n]) over leaf hashes (already hashed with leafHash). */
export const merkleRoot = (leaves: readonly string[]): string => {
  if (leaves.length === 0) throw new Error('a Merkle tree needs at least one leaf');
  if (leaves.length === 1) return leaves[0]!;
  const k = split(leaves.length);
  return nodeHash(merkleRoot(leaves.slice(0, k)), merkleRoot(leaves.slice(k)));
};

/** PATH(m, D[n]): the sibling hashes from leaf m up to the root. */
export const inclusionPath = (m: number, leaves: readonly string[]): string[] => {
  if (m < 0 || m >= leaves.length) throw new Error(`leaf ${m} is not in a tree of ${leaves.length}`);
  if (leaves.length === 1) return [];
  const k = split(leaves.length);
  return m < k ? [...inclusionPath(m, leaves.slice(0, k)), merkleRoot(leaves.slice(k))] : [...inclusionPath(m - k, leaves.slice(k)), merkleRoot(leaves.slice(0, k))];
};

/** RFC 9162 §2.1.3.2: does `path` prove leaf `leafIndex` (hash `leaf`) is in the tree of `treeSize` leaves with root `root`? */
export const verifyInclusion = (leaf: string, proof: { leafIndex: number; treeSize: number; path: readonly string[] }, root: string): boolean => {
  if (!Number.isSafeInteger(proof.leafIndex) || !Number.isSafeInteger(proof.treeSize) || proof.leafIndex < 0 || proof.leafIndex >= proof.treeSize) return false;
  let fn = proof.leafIndex;
  let sn = proof.treeSize - 1;
  let r = leaf;
  for (const p of proof.path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r === root;
};
