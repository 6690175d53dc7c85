// The Merkle tree (RFC 9162 §2.1) and the audit digest built on it: worked examples recomputed by hand with SHA-256.
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import { appendEvents, EMPTY_HEAD, verifyChain } from '#domain/audit-chain';
import { anchorsOf, buildDigest, checkAgainstAnchor, checkBundleAnchor, digestHash, digestLeafHash, GENESIS_DIGEST, orderLeaves, REWRITTEN_AFTER_ANCHORING, signedBytes, verifyDigestSignature } from '#domain/audit-digest';
import { inclusionPath, leafHash, merkleRoot, nodeHash, verifyInclusion } from '#domain/merkle';
import type { DigestLeaf, StoredDigest } from '#schemas/audit-digest';

const h = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest('hex');
const hex = (s: string) => Buffer.from(s, 'hex');
const AT = '2026-03-02T09:15:00.000Z';
const CASE_A = '01J0000000000000000000000A';
const CASE_B = '01J0000000000000000000000B';
const CASE_C = '01J0000000000000000000000C';

describe('Merkle tree (RFC 9162)', () => {
  it('hashes a leaf as SHA-256(0x00 ‖ data): the empty leaf is the RFC 6962 test vector 6e340b9c…', () => {
    expect(leafHash('')).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    expect(leafHash('a')).toBe(h(Buffer.from([0]), Buffer.from('a')));
  });

  it('three leaves: root = H(0x01 ‖ H(0x01 ‖ a ‖ b) ‖ c), split at the largest power of two below n', () => {
    const [a, b, c] = ['a', 'b', 'c'].map((s) => leafHash(s)) as [string, string, string];
    const ab = h(Buffer.from([1]), hex(a), hex(b));
    expect(nodeHash(a, b)).toBe(ab);
    expect(merkleRoot([a, b, c])).toBe(h(Buffer.from([1]), hex(ab), hex(c)));
    expect(merkleRoot([a])).toBe(a);
  });

  it('inclusion paths for leaves 0 and 2 of three are [b, c] and [H(a,b)], and they verify', () => {
    const leaves = ['a', 'b', 'c'].map((s) => leafHash(s));
    const root = merkleRoot(leaves);
    expect(inclusionPath(0, leaves)).toEqual([leaves[1], leaves[2]]);
    expect(inclusionPath(2, leaves)).toEqual([nodeHash(leaves[0]!, leaves[1]!)]);
    for (let n = 1; n <= 9; n++) {
      const tree = Array.from({ length: n }, (_, i) => leafHash(`leaf ${i}`));
      const r = merkleRoot(tree);
      for (let m = 0; m < n; m++) expect(verifyInclusion(tree[m]!, { leafIndex: m, treeSize: n, path: inclusionPath(m, tree) }, r)).toBe(true);
    }
    expect(verifyInclusion(leaves[0]!, { leafIndex: 0, treeSize: 3, path: inclusionPath(0, leaves) }, root)).toBe(true);
  });

  it('refuses a proof for another leaf, another position, a shorter tree or a trimmed path', () => {
    const leaves = ['a', 'b', 'c', 'd', 'e'].map((s) => leafHash(s));
    const root = merkleRoot(leaves);
    const path = inclusionPath(3, leaves);
    expect(verifyInclusion(leaves[3]!, { leafIndex: 3, treeSize: 5, path }, root)).toBe(true);
    expect(verifyInclusion(leaves[2]!, { leafIndex: 3, treeSize: 5, path }, root)).toBe(false);
    expect(verifyInclusion(leaves[3]!, { leafIndex: 2, treeSize: 5, path }, root)).toBe(false);
    expect(verifyInclusion(leaves[3]!, { leafIndex: 3, treeSize: 4, path }, root)).toBe(false);
    expect(verifyInclusion(leaves[3]!, { leafIndex: 3, treeSize: 5, path: path.slice(1) }, root)).toBe(false);
    expect(verifyInclusion(leaves[3]!, { leafIndex: 5, treeSize: 5, path }, root)).toBe(false);
  });
});

const keys = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString() };
};

const leaves: DigestLeaf[] = [
  { caseId: CASE_C, seq: 4, hash: 'c'.repeat(64) },
  { caseId: CASE_A, seq: 7, hash: 'a'.repeat(64) },
  { caseId: CASE_B, seq: 2, hash: 'b'.repeat(64) },
];

describe('audit digest', () => {
  it('worked example: three cases, leaves ordered by case id, root over canonical {caseId, seq, hash}, chained to genesis', () => {
    const { body, leaves: ordered } = buildDigest({ previous: GENESIS_DIGEST, leaves, digestId: '01J00000000000000000000D01', at: AT, changedSince: null, keyId: 'local:k' });

    expect(ordered.map((l) => l.caseId)).toEqual([CASE_A, CASE_B, CASE_C]);
    const leafA = h(Buffer.from([0]), Buffer.from(`{"caseId":"${CASE_A}","hash":"${'a'.repeat(64)}","seq":7}`));
    expect(digestLeafHash(ordered[0]!)).toBe(leafA);
    const expectedRoot = nodeHash(nodeHash(leafA, digestLeafHash(ordered[1]!)), digestLeafHash(ordered[2]!));
    expect(body).toEqual({
      format: 'complaint-audit-digest/1',
      digestId: '01J00000000000000000000D01',
      number: 1,
      at: AT,
      previous: { number: 0, hash: '0'.repeat(64) },
      merkle: { algorithm: 'RFC9162-SHA256', root: expectedRoot, size: 3 },
      changedSince: null,
      signing: { keyId: 'local:k', algorithm: 'ECDSA_SHA_256' },
    });
    expect(digestHash(body)).toBe(createHash('sha256').update(canonicalize(body)).digest('hex'));

    const next = buildDigest({ previous: { number: body.number, hash: digestHash(body) }, leaves: [leaves[0]!], digestId: '01J00000000000000000000D02', at: AT, changedSince: AT, keyId: 'local:k' });
    expect(next.body.previous).toEqual({ number: 1, hash: digestHash(body) });
    expect(next.body.number).toBe(2);
  });

  it('keeps one leaf per case, the later one', () => {
    expect(orderLeaves([leaves[1]!, { ...leaves[1]!, seq: 8 }])).toEqual([{ ...leaves[1]!, seq: 8 }]);
  });

  it('signs the canonical body; the signature fails after any change or with another key', () => {
    const { privateKey, publicKeyPem } = keys();
    const { body } = buildDigest({ previous: GENESIS_DIGEST, leaves, digestId: '01J00000000000000000000D01', at: AT, changedSince: null, keyId: 'local:k' });
    const signed = { body, signature: sign('sha256', signedBytes(body), { key: privateKey, dsaEncoding: 'der' }).toString('base64') };
    expect(verifyDigestSignature(signed, publicKeyPem)).toBe(true);
    expect(verifyDigestSignature({ ...signed, body: { ...body, merkle: { ...body.merkle, size: 4 } } }, publicKeyPem)).toBe(false);
    expect(verifyDigestSignature(signed, keys().publicKeyPem)).toBe(false);
  });

  it('every anchor of a stored digest proves its leaf against the root', () => {
    const { body, leaves: ordered } = buildDigest({ previous: GENESIS_DIGEST, leaves, digestId: '01J00000000000000000000D01', at: AT, changedSince: null, keyId: 'local:k' });
    const stored: StoredDigest = { body, signature: 'AA==', leaves: ordered };
    for (const a of anchorsOf(stored)) expect(verifyInclusion(digestLeafHash(a.leaf), a.proof, body.merkle.root)).toBe(true);
  });
});

describe('checking a chain against its anchor', () => {
  const chainOf = (n: number) => appendEvents(EMPTY_HEAD, Array.from({ length: n }, (_, i) => ({ actor: 'alice', action: 'note.added', data: { body: `note ${i}` } })), AT);
  const anchorFor = (caseId: string, seq: number, hash: string) => {
    const { body, leaves: ordered } = buildDigest({ previous: GENESIS_DIGEST, leaves: [...leaves, { caseId, seq, hash }], digestId: '01J00000000000000000000D01', at: AT, changedSince: null, keyId: 'k' });
    const a = anchorsOf({ body, signature: 'AA==', leaves: ordered }).find((x) => x.leaf.caseId === caseId)!;
    return { leaf: a.leaf, proof: a.proof, digest: body };
  };
  const CASE = '01J0000000000000000000000X';

  it('an unchanged chain stays valid; one grown since stays valid', () => {
    const { events, head } = chainOf(5);
    const anchor = anchorFor(CASE, 3, events[2]!.hash);
    expect(checkAgainstAnchor(CASE, verifyChain(events, head), events, anchor)).toMatchObject({ valid: true, length: 5 });
  });

  it('a chain rewritten and re-hashed (self-consistent) is "rewritten after anchoring" at the anchored seq', () => {
    const { events } = chainOf(4);
    const anchor = anchorFor(CASE, 4, events[3]!.hash);
    const forged = appendEvents(EMPTY_HEAD, events.map((e, i) => ({ actor: e.actor, action: e.action, data: i === 1 ? { body: 'rewritten' } : e.data })), AT);
    const verdict = verifyChain(forged.events, forged.head);
    expect(verdict.valid).toBe(true);
    expect(checkAgainstAnchor(CASE, verdict, forged.events, anchor)).toMatchObject({ valid: false, problem: REWRITTEN_AFTER_ANCHORING, firstBrokenSeq: 4 });
  });

  it('a chain cut back below the anchored seq (head rolled back) is "rewritten after anchoring"', () => {
    const { events } = chainOf(4);
    const anchor = anchorFor(CASE, 4, events[3]!.hash);
    const cut = events.slice(0, 3);
    const verdict = verifyChain(cut, { seq: 3, hash: cut[2]!.hash });
    expect(verdict.valid).toBe(true);
    expect(checkAgainstAnchor(CASE, verdict, cut, anchor)).toMatchObject({ valid: false, problem: REWRITTEN_AFTER_ANCHORING, firstBrokenSeq: 4 });
  });

  it('an anchor of another case, or with a proof that does not reach the root, is reported', () => {
    const { events, head } = chainOf(2);
    const anchor = anchorFor(CASE, 2, events[1]!.hash);
    expect(checkAgainstAnchor(CASE_A, verifyChain(events, head), events, anchor).valid).toBe(false);
    expect(checkAgainstAnchor(CASE, verifyChain(events, head), events, { ...anchor, proof: { ...anchor.proof, path: [] } }).valid).toBe(false);
  });

  it('the offline bundle check needs the signature, the proof and the chain to agree', () => {
    const { privateKey, publicKeyPem } = keys();
    const { events } = chainOf(3);
    const a = anchorFor(CASE, 3, events[2]!.hash);
    const digest = { body: a.digest, signature: sign('sha256', signedBytes(a.digest), { key: privateKey, dsaEncoding: 'der' }).toString('base64') };
    const bundle = { digest, leaf: a.leaf, proof: a.proof };
    expect(checkBundleAnchor(bundle, { caseId: CASE, events, publicKeyPem })).toEqual([]);
    expect(checkBundleAnchor(bundle, { caseId: CASE, events, publicKeyPem: keys().publicKeyPem })).toHaveLength(1);
    expect(checkBundleAnchor(bundle, { caseId: CASE, events: events.slice(0, 2), publicKeyPem })).toEqual([expect.stringContaining(REWRITTEN_AFTER_ANCHORING)]);
  });
});
