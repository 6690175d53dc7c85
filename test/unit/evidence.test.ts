// The evidence lifecycle as pure functions (no I/O): server-chosen keys, registration policy, verification of
// an upload against its registration, audited downloads, legal hold; and the evidence input schemas.
import { ConflictError, InvalidInputError } from '#domain/errors';
import {
  caseObjectPrefix,
  evidenceKey,
  parseEvidenceKey,
  recordDownload,
  registerEvidence,
  setLegalHold,
  UPLOAD_TTL_MS,
  VERIFIER,
  verifyUpload,
  type EvidencePolicy,
  type UploadedObject,
  type VerifyOutcome,
} from '#domain/evidence';
import type { Change } from '#domain/lifecycle';
import { ContentType, DEFAULT_EVIDENCE_CONTENT_TYPES, Evidence, FileName, LegalHoldBody, RegisterEvidenceBody, Sha256Hex } from '#schemas/evidence';
import { at, CASE_ID, NOW, openedCase } from './fixtures';

const EVIDENCE_ID = '01JEVDNCEAAAAAAAAAAAAAAAA1';
const OTHER_ID = '01JEVDNCEAAAAAAAAAAAAAAAA2';
const SHA = 'a'.repeat(64);
const OTHER_SHA = 'b'.repeat(64);
const MAX = 10 * 1024 * 1024;
const policy: EvidencePolicy = { allowedContentTypes: DEFAULT_EVIDENCE_CONTENT_TYPES, maxBytes: MAX, uploadTtlMs: UPLOAD_TTL_MS };

const body = (over: Partial<RegisterEvidenceBody> = {}): RegisterEvidenceBody => ({ fileName: 'receipt.pdf', contentType: 'application/pdf', sizeBytes: 1234, sha256: SHA, ...over });

const caught = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
};

/** A pending item as registration creates it. */
const pending = (over: Partial<Evidence> = {}): Evidence => ({ ...registerEvidence(openedCase(), body(), policy, { evidenceId: EVIDENCE_ID }, 'alice', NOW).result, ...over });

const KEY = evidenceKey(CASE_ID, EVIDENCE_ID);
const upload = (over: Partial<UploadedObject> = {}): UploadedObject => ({
  key: KEY,
  sizeBytes: 1234,
  sha256: SHA,
  versionId: 'v1',
  retainUntil: '2033-03-02T09:00:00.000Z',
  createdAt: at(NOW, 60_000),
  ref: 'v1',
  ...over,
});

const changed = (o: VerifyOutcome): Change<Evidence | undefined> => {
  if (o.kind !== 'changed') throw new Error(`expected a change, got ${o.kind}`);
  return o.change;
};

describe('evidence keys', () => {
  it('are chosen by the server from the ids, never from the file name', () => {
    expect(evidenceKey(CASE_ID, EVIDENCE_ID)).toBe(`cases/${CASE_ID}/evidence/${EVIDENCE_ID}`);
    const ev = registerEvidence(openedCase(), body({ fileName: '../../etc/passwd' }), policy, { evidenceId: EVIDENCE_ID }, 'alice', NOW).result;
    expect(ev.key).toBe(`cases/${CASE_ID}/evidence/${EVIDENCE_ID}`);
    expect(ev.key).not.toContain('passwd');
    expect(ev.key.startsWith(caseObjectPrefix(CASE_ID))).toBe(true);
  });

  it('round-trip through parseEvidenceKey', () => {
    expect(parseEvidenceKey(evidenceKey(CASE_ID, EVIDENCE_ID))).toEqual({ caseId: CASE_ID, evidenceId: EVIDENCE_ID });
  });

  it.each([
    ['an export', `cases/${CASE_ID}/exports/${EVIDENCE_ID}`],
    ['a traversal', `cases/${CASE_ID}/evidence/../${EVIDENCE_ID}`],
    ['a nested traversal', `cases/${CASE_ID}/evidence/${EVIDENCE_ID}/../../x`],
    ['a leading slash', `/cases/${CASE_ID}/evidence/${EVIDENCE_ID}`],
    ['a trailing segment', `cases/${CASE_ID}/evidence/${EVIDENCE_ID}/x`],
    ['a file name', `cases/${CASE_ID}/evidence/receipt.pdf`],
    ['lower-case ids', `cases/${CASE_ID.toLowerCase()}/evidence/${EVIDENCE_ID.toLowerCase()}`],
    ['a lower-case evidence id', `cases/${CASE_ID}/evidence/${EVIDENCE_ID.toLowerCase()}`],
    ['a short id', `cases/${CASE_ID}/evidence/${EVIDENCE_ID.slice(1)}`],
    ['an id with I/L/O/U', `cases/${CASE_ID}/evidence/01JIIIIIIIIIIIIIIIIIIIIIII`],
    ['a trailing newline', `cases/${CASE_ID}/evidence/${EVIDENCE_ID}\n`],
    ['the case prefix', caseObjectPrefix(CASE_ID)],
    ['an empty key', ''],
  ])('reject %s', (_what, key) => {
    expect(parseEvidenceKey(key)).toBeUndefined();
  });
});

describe('registerEvidence', () => {
  it('creates a pending item with the upload window and the case legal hold, and drafts one evidence.registered', () => {
    const c = openedCase({ legalHold: true });
    const out = registerEvidence(c, body(), policy, { evidenceId: EVIDENCE_ID }, 'alice', NOW);
    // The case counts its evidence by status (reports measure completeness from it).
    expect(out.case).toEqual({ ...c, evidenceCounts: { pending: 1, verified: 0, rejected: 0 } });
    expect(out.result).toEqual({
      id: EVIDENCE_ID,
      caseId: CASE_ID,
      fileName: 'receipt.pdf',
      contentType: 'application/pdf',
      sizeBytes: 1234,
      sha256: SHA,
      key: KEY,
      status: 'pending',
      registeredBy: 'alice',
      registeredAt: NOW,
      uploadExpiresAt: at(NOW, UPLOAD_TTL_MS),
      legalHold: true,
    });
    expect(Evidence.safeParse(out.result).success).toBe(true);
    expect(out.drafts).toEqual([
      { actor: 'alice', action: 'evidence.registered', data: { evidenceId: EVIDENCE_ID, fileName: 'receipt.pdf', contentType: 'application/pdf', sizeBytes: 1234, sha256: SHA, key: KEY } },
    ]);
  });

  it('inherits legalHold=false from a case not on hold and honours the policy TTL', () => {
    const ev = registerEvidence(openedCase(), body(), { ...policy, uploadTtlMs: 90_000 }, { evidenceId: EVIDENCE_ID }, 'alice', NOW).result;
    expect(ev.legalHold).toBe(false);
    expect(ev.uploadExpiresAt).toBe(at(NOW, 90_000));
  });

  it('accepts a file of exactly the maximum size', () => {
    expect(registerEvidence(openedCase(), body({ sizeBytes: MAX }), policy, { evidenceId: EVIDENCE_ID }, 'alice', NOW).result.sizeBytes).toBe(MAX);
  });

  it('refuses a content type outside the allowlist, naming body.contentType', () => {
    const err = caught(() => registerEvidence(openedCase(), body({ contentType: 'application/x-msdownload' }), policy, { evidenceId: EVIDENCE_ID }, 'alice', NOW));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as InvalidInputError).errors.map((e) => e.field)).toEqual(['body.contentType']);
    expect((err as InvalidInputError).errors[0]!.message).toContain('application/x-msdownload');
  });

  it('refuses a file larger than the maximum, naming body.sizeBytes', () => {
    const err = caught(() => registerEvidence(openedCase(), body({ sizeBytes: MAX + 1 }), policy, { evidenceId: EVIDENCE_ID }, 'alice', NOW));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as InvalidInputError).errors.map((e) => e.field)).toEqual(['body.sizeBytes']);
    expect((err as InvalidInputError).errors[0]!.message).toContain(String(MAX));
  });

  it('names both fields at once when both are wrong', () => {
    const err = caught(() => registerEvidence(openedCase(), body({ contentType: 'application/zip', sizeBytes: MAX * 2 }), policy, { evidenceId: EVIDENCE_ID }, 'alice', NOW));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as InvalidInputError).errors.map((e) => e.field)).toEqual(['body.contentType', 'body.sizeBytes']);
  });

  it('refuses evidence on a closed case with a ConflictError', () => {
    expect(() => registerEvidence(openedCase({ status: 'closed' }), body(), policy, { evidenceId: EVIDENCE_ID }, 'alice', NOW)).toThrow(ConflictError);
  });

  it.each(['open', 'awaiting_approval', 'resolved'] as const)('accepts evidence on a %s case', (status) => {
    expect(registerEvidence(openedCase({ status }), body(), policy, { evidenceId: EVIDENCE_ID }, 'alice', NOW).result.status).toBe('pending');
  });
});

describe('verifyUpload', () => {
  const c = openedCase();

  it('verifies a matching upload within the window, recording version, retention and the upload ref', () => {
    const ch = changed(verifyUpload(c, pending(), upload(), at(NOW, 61_000)));
    expect(ch.case).toEqual({ ...c, evidenceCounts: { pending: 0, verified: 1, rejected: 0 } });
    expect(ch.result).toEqual({ ...pending(), status: 'verified', verifiedAt: at(NOW, 61_000), versionId: 'v1', retainUntil: '2033-03-02T09:00:00.000Z', uploadRef: 'v1' });
    expect(ch.drafts).toEqual([
      { actor: VERIFIER, action: 'evidence.verified', data: { evidenceId: EVIDENCE_ID, sha256: SHA, sizeBytes: 1234, versionId: 'v1', retainUntil: '2033-03-02T09:00:00.000Z' } },
    ]);
  });

  it('verifies an upload at the very end of the window, and one without versioning or retention', () => {
    const ch = changed(verifyUpload(c, pending(), upload({ createdAt: at(NOW, UPLOAD_TTL_MS), versionId: undefined, retainUntil: undefined, ref: 'seq-1' }), NOW));
    expect(ch.result?.status).toBe('verified');
    expect(ch.result).not.toHaveProperty('versionId');
    expect(ch.result).not.toHaveProperty('retainUntil');
    expect(ch.result?.uploadRef).toBe('seq-1');
    expect(ch.drafts[0]!.data).toMatchObject({ versionId: null, retainUntil: null });
  });

  it.each([
    ['size_mismatch', upload({ sizeBytes: 1235 }), 'registered 1234 bytes, uploaded 1235'],
    ['checksum_mismatch', upload({ sha256: OTHER_SHA }), `registered SHA-256 ${SHA}, uploaded ${OTHER_SHA}`],
    ['upload_after_expiry', upload({ createdAt: at(NOW, UPLOAD_TTL_MS + 1) }), 'the upload window closed'],
    ['no_checksum', upload({ sha256: undefined }), 'no SHA-256'],
  ] as const)('rejects %s with a detail', (reason, up, detail) => {
    const ch = changed(verifyUpload(c, pending(), up, at(NOW, 120_000)));
    expect(ch.result).toMatchObject({ status: 'rejected', rejectedAt: at(NOW, 120_000), rejection: { reason }, uploadRef: 'v1', versionId: 'v1' });
    expect(ch.result?.rejection?.detail).toContain(detail);
    expect(ch.result).not.toHaveProperty('verifiedAt');
    expect(ch.drafts).toEqual([{ actor: VERIFIER, action: 'evidence.rejected', data: { evidenceId: EVIDENCE_ID, reason, detail: ch.result?.rejection?.detail, versionId: 'v1' } }]);
    expect(Evidence.safeParse(ch.result).success).toBe(true);
  });

  it('reports the late upload before anything else is wrong with it', () => {
    const ch = changed(verifyUpload(c, pending(), upload({ createdAt: at(NOW, UPLOAD_TTL_MS + 1), sizeBytes: 1, sha256: undefined }), NOW));
    expect(ch.result?.rejection?.reason).toBe('upload_after_expiry');
  });

  it('records an upload with no registration as refused (evidenceId null) and changes no evidence', () => {
    const ch = changed(verifyUpload(c, undefined, upload(), NOW));
    expect(ch.result).toBeUndefined();
    expect(ch.case).toBe(c);
    expect(ch.drafts).toEqual([
      { actor: VERIFIER, action: 'evidence.upload_refused', data: { evidenceId: null, key: KEY, reason: 'unregistered', versionId: 'v1', sizeBytes: 1234, uploadedAt: at(NOW, 60_000) } },
    ]);
  });

  it('refuses a second, different upload to a verified item (already_verified) and leaves it unchanged', () => {
    const verified = changed(verifyUpload(c, pending(), upload(), NOW)).result!;
    const before = structuredClone(verified);
    const ch = changed(verifyUpload(c, verified, upload({ versionId: 'v2', ref: 'v2', sha256: OTHER_SHA }), NOW));
    expect(ch.result).toBeUndefined();
    expect(ch.drafts).toEqual([expect.objectContaining({ action: 'evidence.upload_refused', data: expect.objectContaining({ evidenceId: EVIDENCE_ID, reason: 'already_verified', versionId: 'v2' }) })]);
    expect(verified).toEqual(before);
  });

  it('refuses any further upload to a rejected item (registration_closed), even a matching one', () => {
    const rejected = changed(verifyUpload(c, pending(), upload({ sizeBytes: 1 }), NOW)).result!;
    const ch = changed(verifyUpload(c, rejected, upload({ versionId: 'v2', ref: 'v2' }), NOW));
    expect(ch.result).toBeUndefined();
    expect(ch.drafts[0]).toMatchObject({ action: 'evidence.upload_refused', data: { evidenceId: EVIDENCE_ID, reason: 'registration_closed' } });
  });

  it('treats the same upload delivered again as a duplicate, for verified and rejected items alike', () => {
    const verified = changed(verifyUpload(c, pending(), upload(), NOW)).result!;
    expect(verifyUpload(c, verified, upload(), at(NOW, 1000))).toEqual({ kind: 'duplicate' });
    const rejected = changed(verifyUpload(c, pending(), upload({ sha256: OTHER_SHA }), NOW)).result!;
    expect(verifyUpload(c, rejected, upload({ sha256: OTHER_SHA }), at(NOW, 1000))).toEqual({ kind: 'duplicate' });
  });
});

describe('recordDownload', () => {
  it.each([
    ['pending', pending()],
    ['rejected', pending({ status: 'rejected', rejection: { reason: 'size_mismatch', detail: 'x' } })],
  ])('refuses %s evidence with a ConflictError', (_s, ev) => {
    const err = caught(() => recordDownload(openedCase(), ev, 'alice', NOW));
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).details).toEqual({ evidenceStatus: ev.status });
  });

  it('records who was given which file and version, until when, and changes nothing else', () => {
    const c = openedCase();
    const ev = pending({ status: 'verified', versionId: 'v9', verifiedAt: NOW });
    const out = recordDownload(c, ev, 'carol', at(NOW, 300_000));
    expect(out.case).toBe(c);
    expect(out.result).toBeUndefined();
    expect(out.drafts).toEqual([
      { actor: 'carol', action: 'evidence.download_issued', data: { evidenceId: EVIDENCE_ID, fileName: 'receipt.pdf', sha256: SHA, versionId: 'v9', expiresAt: at(NOW, 300_000) } },
    ]);
  });

  it('records versionId null when storage is unversioned', () => {
    expect(recordDownload(openedCase(), pending({ status: 'verified' }), 'carol', NOW).drafts[0]!.data.versionId).toBeNull();
  });
});

describe('setLegalHold', () => {
  const keys = [KEY, evidenceKey(CASE_ID, OTHER_ID)];

  it('applies the hold to the case and drafts legal_hold.applied with the object count', () => {
    const c = openedCase();
    const out = setLegalHold(c, true, 'litigation 2026/17', keys, 'lee');
    expect(out.case).toEqual({ ...c, legalHold: true });
    expect(c.legalHold).toBe(false);
    expect(out.drafts).toEqual([{ actor: 'lee', action: 'legal_hold.applied', data: { reason: 'litigation 2026/17', objects: 2, keys } }]);
  });

  it('applies without a reason (reason null)', () => {
    expect(setLegalHold(openedCase(), true, undefined, [], 'lee').drafts[0]!.data).toEqual({ reason: null, objects: 0, keys: [] });
  });

  it('releases with a reason and drafts legal_hold.released', () => {
    const out = setLegalHold(openedCase({ legalHold: true }), false, 'matter settled', keys.slice(0, 1), 'lee');
    expect(out.case.legalHold).toBe(false);
    expect(out.drafts).toEqual([{ actor: 'lee', action: 'legal_hold.released', data: { reason: 'matter settled', objects: 1, keys: keys.slice(0, 1) } }]);
  });

  it.each([true, false])('refuses to set the hold to its current state (%s) with a ConflictError', (on) => {
    expect(() => setLegalHold(openedCase({ legalHold: on }), on, 'x', [], 'lee')).toThrow(ConflictError);
  });

  it.each([undefined, ''])('refuses a release without a reason (%p), naming body.reason', (reason) => {
    const err = caught(() => setLegalHold(openedCase({ legalHold: true }), false, reason, [], 'lee'));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as InvalidInputError).errors.map((e) => e.field)).toEqual(['body.reason']);
  });
});

describe('evidence schemas', () => {
  it.each([
    ['a slash', 'dir/receipt.pdf'],
    ['a backslash', 'dir\\receipt.pdf'],
    ['a NUL', 'receipt\u0000.pdf'],
    ['a newline', 'rec\neipt.pdf'],
    ['a tab', 'rec\teipt.pdf'],
    ['DEL', 'receipt\u007f.pdf'],
    ['.', '.'],
    ['..', '..'],
    ['only dots', '...'],
    ['empty', ''],
    ['only spaces', '   '],
    ['256 characters', 'a'.repeat(252) + '.pdf'],
  ])('FileName rejects %s', (_what, name) => {
    expect(FileName.safeParse(name).success).toBe(false);
  });

  it.each([
    ['unicode with spaces', 'Relevé de compte – mars 2026.pdf'],
    ['CJK', '領収書 2026.png'],
    ['emoji', 'photo 📷.jpg'],
    ['a leading dot', '.hidden'],
    ['dots inside', 'a..b.pdf'],
    ['255 characters', 'a'.repeat(251) + '.pdf'],
  ])('FileName accepts %s', (_what, name) => {
    expect(FileName.parse(name)).toBe(name);
  });

  it('FileName trims surrounding whitespace', () => {
    expect(FileName.parse('  receipt.pdf  ')).toBe('receipt.pdf');
  });

  it('Sha256Hex lower-cases and requires exactly 64 hex digits', () => {
    expect(Sha256Hex.parse('ABCDEF' + '0'.repeat(58))).toBe('abcdef' + '0'.repeat(58));
    for (const bad of ['a'.repeat(63), 'a'.repeat(65), 'g'.repeat(64), ` ${'a'.repeat(64)}`, '']) expect(Sha256Hex.safeParse(bad).success).toBe(false);
  });

  it('ContentType lower-cases and trims', () => {
    expect(ContentType.parse(' Application/PDF ')).toBe('application/pdf');
    expect(ContentType.parse('application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  });

  it.each(['pdf', 'application/', '/pdf', 'application/pdf/x', 'application/pdf; charset=utf-8', 'text/plain\nX-Evil: 1', 'a b/c', '', '*/*'])('ContentType rejects %p', (junk) => {
    expect(ContentType.safeParse(junk).success).toBe(false);
  });

  it('RegisterEvidenceBody normalises and rejects unknown fields', () => {
    expect(RegisterEvidenceBody.parse({ fileName: ' a.pdf', contentType: 'IMAGE/PNG', sizeBytes: 1, sha256: 'A'.repeat(64) })).toEqual({ fileName: 'a.pdf', contentType: 'image/png', sizeBytes: 1, sha256: 'a'.repeat(64) });
    expect(RegisterEvidenceBody.safeParse({ ...body(), key: 'cases/x' }).success).toBe(false);
    expect(RegisterEvidenceBody.safeParse(body({ sizeBytes: 0 })).success).toBe(false);
    expect(RegisterEvidenceBody.safeParse(body({ sizeBytes: 1.5 })).success).toBe(false);
  });

  it('LegalHoldBody requires a reason only to release', () => {
    expect(LegalHoldBody.safeParse({ on: true }).success).toBe(true);
    expect(LegalHoldBody.safeParse({ on: true, reason: 'litigation' }).success).toBe(true);
    expect(LegalHoldBody.safeParse({ on: false, reason: 'settled' }).success).toBe(true);
    const missing = LegalHoldBody.safeParse({ on: false });
    expect(missing.success).toBe(false);
    expect(missing.error?.issues.map((i) => i.path)).toEqual([['reason']]);
    expect(LegalHoldBody.safeParse({ on: false, reason: '   ' }).success).toBe(false);
    expect(LegalHoldBody.safeParse({ on: 'false', reason: 'x' }).success).toBe(false);
    expect(LegalHoldBody.safeParse({ on: true, extra: 1 }).success).toBe(false);
  });
});
