// Audit digests (issue 25, finding 8): what anchors every case's audit chain outside the table. One format, defined
// here once: the digest job writes it, the timeline and the export builder read it, complaint-verify checks it offline.
import * as z from 'zod';
import { IsoTimestamp, Ulid } from './common';
import { DIGEST_FORMAT, MERKLE_ALGORITHM, SIGNING_ALGORITHM } from './constants';

export { DIGEST_FORMAT, MERKLE_ALGORITHM } from './constants';

const Hex64 = /* @__PURE__ */ z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');

/** One leaf: a case's audit chain head when the digest was made. */
export const DigestLeaf = /* @__PURE__ */ z.object({ caseId: Ulid, seq: /* @__PURE__ */ z.number().int().min(1), hash: Hex64 }).strict().meta({ id: 'AuditDigestLeaf' });
export type DigestLeaf = z.infer<typeof DigestLeaf>;

/** The signed part of a digest: its place in the digest chain, the Merkle root of its leaves, who signs it. */
export const DigestBody = /* @__PURE__ */ z
  .object({
    format: /* @__PURE__ */ z.literal(DIGEST_FORMAT),
    digestId: Ulid,
    /** 1, 2, 3, …: the digest chain has no gaps. */
    number: /* @__PURE__ */ z.number().int().min(1),
    at: IsoTimestamp,
    /** The previous digest (number 0 and 64 zeros for the first): sha256 of its canonical body. */
    previous: /* @__PURE__ */ z.object({ number: /* @__PURE__ */ z.number().int().min(0), hash: Hex64 }).strict(),
    merkle: /* @__PURE__ */ z.object({ algorithm: /* @__PURE__ */ z.literal(MERKLE_ALGORITHM), root: Hex64, size: /* @__PURE__ */ z.number().int().min(1) }).strict(),
    /** Cases whose case item changed at or after this time were looked for (the previous digest's time less a margin). */
    changedSince: /* @__PURE__ */ IsoTimestamp.nullable(),
    signing: /* @__PURE__ */ z.object({ keyId: /* @__PURE__ */ z.string().min(1), algorithm: /* @__PURE__ */ z.literal(SIGNING_ALGORITHM) }).strict(),
  })
  .strict()
  .meta({ id: 'AuditDigestBody' });
export type DigestBody = z.infer<typeof DigestBody>;

/** The body and the signature over the bytes of its RFC 8785 canonical JSON (DER ECDSA P-256, base64). */
export const SignedDigest = /* @__PURE__ */ z
  .object({ body: DigestBody, signature: /* @__PURE__ */ z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64') })
  .strict()
  .meta({ id: 'SignedAuditDigest' });
export type SignedDigest = z.infer<typeof SignedDigest>;

/** The stored digest object: the signed digest and every leaf, in tree order (the leaves are proven by the root). */
export const StoredDigest = /* @__PURE__ */ SignedDigest.extend({ leaves: /* @__PURE__ */ z.array(DigestLeaf).min(1) });
export type StoredDigest = z.infer<typeof StoredDigest>;

/** RFC 9162 §2.1.3 inclusion proof: the sibling hashes from the leaf up to the root. */
export const MerkleProof = /* @__PURE__ */ z.object({ leafIndex: /* @__PURE__ */ z.number().int().min(0), treeSize: /* @__PURE__ */ z.number().int().min(1), path: /* @__PURE__ */ z.array(Hex64) }).strict().meta({ id: 'MerkleProof' });
export type MerkleProof = z.infer<typeof MerkleProof>;

/** One case's anchor in one digest (stored per case beside the digests, so a case finds its newest anchor by key). */
export const CaseAnchor = /* @__PURE__ */ z.object({ digestNumber: /* @__PURE__ */ z.number().int().min(1), digestId: Ulid, at: IsoTimestamp, leaf: DigestLeaf, proof: MerkleProof }).strict();
export type CaseAnchor = z.infer<typeof CaseAnchor>;

/** audit-anchor.json in an export bundle: everything needed to check the case's head against a signed digest offline. */
export const BundleAnchor = /* @__PURE__ */ z.object({ digest: SignedDigest, leaf: DigestLeaf, proof: MerkleProof }).strict().meta({ id: 'BundleAuditAnchor' });
export type BundleAnchor = z.infer<typeof BundleAnchor>;

/** What the timeline reports: the newest digest that anchors the case, and the head seq it anchored. */
export const TimelineAnchored = /* @__PURE__ */ z
  .object({ digestId: Ulid, at: IsoTimestamp, seq: /* @__PURE__ */ z.number().int().min(1) })
  .meta({ id: 'TimelineAnchored', description: 'The newest signed audit digest (S3 Object Lock, compliance mode) that anchors this case: its id, when it was made, and the audit seq it anchored. Null until the case is first anchored.' });
export type TimelineAnchored = z.infer<typeof TimelineAnchored>;
