// Pure property tests of evidence (no I/O): storage keys, file-name and checksum schemas, registration policy,
// and the verification decision for any upload.
import fc from 'fast-check';
import { InvalidInputError } from '#domain/errors';
import { evidenceKey, parseEvidenceKey, registerEvidence, UPLOAD_TTL_MS, verifyUpload, type EvidencePolicy, type UploadedObject } from '#domain/evidence';
import { DEFAULT_EVIDENCE_CONTENT_TYPES, FileName, Sha256Hex, type RegisterEvidenceBody } from '#schemas/evidence';
import { CASE_ID, NOW, openedCase } from '../unit/fixtures';
import { propertyRuns } from '../support/property';

const RUNS = { numRuns: propertyRuns(200) };
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'.split('');
const ulid = fc.string({ unit: fc.constantFrom(...CROCKFORD), minLength: 26, maxLength: 26 });
const hex64 = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'.split('')), minLength: 64, maxLength: 64 });
const policy: EvidencePolicy = { allowedContentTypes: DEFAULT_EVIDENCE_CONTENT_TYPES, maxBytes: 1_000_000, uploadTtlMs: UPLOAD_TTL_MS };
const EVIDENCE_ID = '01JEV000000000000000000001';

describe('evidence keys (property)', () => {
  it('round-trip for any pair of ULIDs', () => {
    fc.assert(
      fc.property(ulid, ulid, (caseId, evidenceId) => {
        expect(parseEvidenceKey(evidenceKey(caseId, evidenceId))).toEqual({ caseId, evidenceId });
      }),
      RUNS,
    );
  });

  it('parse only what evidenceKey would produce', () => {
    const nearKeys = fc.tuple(ulid, ulid, fc.string({ maxLength: 6 }), fc.nat(80)).map(([c, e, junk, i]) => {
      const k = evidenceKey(c, e);
      return k.slice(0, i) + junk + k.slice(i);
    });
    fc.assert(
      fc.property(fc.oneof(fc.string(), nearKeys), (key) => {
        const ids = parseEvidenceKey(key);
        if (ids) expect(evidenceKey(ids.caseId, ids.evidenceId)).toBe(key);
      }),
      RUNS,
    );
  });
});

describe('evidence schemas (property)', () => {
  it('an accepted FileName is never a path, never control characters, never only dots, at most 255 long', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: fc.constantFrom('.', '/', '\\', ' ', 'a', '\u0000', '\t'), maxLength: 8 })), (s) => {
        const r = FileName.safeParse(s);
        if (!r.success) return;
        expect(r.data).not.toMatch(/[/\\]/);
        // eslint-disable-next-line no-control-regex
        expect(r.data).not.toMatch(/[\u0000-\u001f\u007f]/);
        expect(r.data).not.toMatch(/^\.+$/);
        expect(r.data.length).toBeGreaterThan(0);
        expect(r.data.length).toBeLessThanOrEqual(255);
      }),
      RUNS,
    );
  });

  it('Sha256Hex accepts any case of hex and always yields lower case', () => {
    fc.assert(
      fc.property(hex64, fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }), (h, upper) => {
        const mixed = [...h].map((ch, i) => (upper[i] ? ch.toUpperCase() : ch)).join('');
        expect(Sha256Hex.parse(mixed)).toBe(h);
      }),
      RUNS,
    );
  });
});

describe('registration and verification (property)', () => {
  const body = fc.record({
    fileName: fc.constant('f.pdf'),
    contentType: fc.oneof(fc.constantFrom(...DEFAULT_EVIDENCE_CONTENT_TYPES), fc.constantFrom('application/zip', 'text/html', 'application/x-msdownload')),
    sizeBytes: fc.integer({ min: 1, max: 2_000_000 }),
    sha256: hex64,
  }) satisfies fc.Arbitrary<RegisterEvidenceBody>;

  it('registration fails exactly on the fields that break the policy', () => {
    fc.assert(
      fc.property(body, (b) => {
        const expected = [...((DEFAULT_EVIDENCE_CONTENT_TYPES as readonly string[]).includes(b.contentType) ? [] : ['body.contentType']), ...(b.sizeBytes > policy.maxBytes ? ['body.sizeBytes'] : [])];
        try {
          const ev = registerEvidence(openedCase(), b, policy, { evidenceId: EVIDENCE_ID }, 'alice', NOW).result;
          expect(expected).toEqual([]);
          expect(ev.key).toBe(evidenceKey(CASE_ID, EVIDENCE_ID));
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidInputError);
          expect((err as InvalidInputError).errors.map((e) => e.field)).toEqual(expected);
        }
      }),
      RUNS,
    );
  });

  it('a pending item is verified iff the upload is in time, the right size and the right checksum; redelivery is a duplicate', () => {
    const upload = fc.record({
      sizeDelta: fc.constantFrom(0, 0, 1, -1),
      sha: fc.option(fc.oneof(fc.constant('same'), hex64), { nil: undefined }),
      delayMs: fc.integer({ min: -60_000, max: UPLOAD_TTL_MS + 60_000 }),
      versionId: fc.option(fc.string({ minLength: 1, maxLength: 8 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(body.filter((b) => b.sizeBytes <= policy.maxBytes && (DEFAULT_EVIDENCE_CONTENT_TYPES as readonly string[]).includes(b.contentType)), upload, (b, u) => {
        const c = openedCase();
        const ev = registerEvidence(c, b, policy, { evidenceId: EVIDENCE_ID }, 'alice', NOW).result;
        const up: UploadedObject = {
          key: ev.key,
          sizeBytes: Math.max(0, b.sizeBytes + u.sizeDelta),
          ...(u.sha === undefined ? {} : { sha256: u.sha === 'same' ? b.sha256 : u.sha }),
          ...(u.versionId ? { versionId: u.versionId } : {}),
          createdAt: new Date(Date.parse(NOW) + u.delayMs).toISOString(),
          ref: u.versionId ?? 'seq-1',
        };
        const out = verifyUpload(c, ev, up, NOW);
        if (out.kind !== 'changed') throw new Error('a pending item always changes');
        const next = out.change.result!;
        const shouldVerify = u.delayMs <= UPLOAD_TTL_MS && up.sizeBytes === b.sizeBytes && up.sha256 === b.sha256;
        expect(next.status).toBe(shouldVerify ? 'verified' : 'rejected');
        expect({ id: next.id, key: next.key, sha256: next.sha256, sizeBytes: next.sizeBytes, fileName: next.fileName }).toEqual({ id: ev.id, key: ev.key, sha256: ev.sha256, sizeBytes: ev.sizeBytes, fileName: ev.fileName });
        expect(out.change.drafts).toHaveLength(1);
        expect(verifyUpload(c, next, up, NOW)).toEqual({ kind: 'duplicate' });
      }),
      RUNS,
    );
  });
});
