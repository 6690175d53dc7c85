// EvidenceService over in-memory fakes of our own ports (CaseRepository, EvidenceVault): registration and the
// signed upload, listing, audited downloads, legal hold across storage and the case, verification of uploads.
import { EMPTY_HEAD, verifyChain } from '#domain/audit-chain';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError, StaleVersionError } from '#domain/errors';
import { DOWNLOAD_TTL_MS, evidenceKey, UPLOAD_TTL_MS, type EvidencePolicy } from '#domain/evidence';
import { EvidenceService, type ObjectCreated } from '#domain/evidence-service';

import type { EvidenceVault, PresignedUpload, StoredObject } from '#ports/evidence-vault';
import type { Case } from '#schemas/complaint';
import { DEFAULT_EVIDENCE_CONTENT_TYPES, type Evidence, type RegisterEvidenceBody } from '#schemas/evidence';
import { at, CASE_ID, NOW, openedCase, principal } from './fixtures';
import { FakeRepo } from './fake-repo';


/** The vault port in memory: records every call; `inspect` answers from `objects`, which the test sets. */
class FakeVault implements EvidenceVault {
  readonly objects = new Map<string, StoredObject>();
  readonly presignUploads: Parameters<EvidenceVault['presignUpload']>[0][] = [];
  readonly presignDownloads: Parameters<EvidenceVault['presignDownload']>[0][] = [];
  readonly inspects: { key: string; versionId?: string }[] = [];
  readonly holds: { key: string; versionId: string | undefined; on: boolean }[] = [];
  /** Runs inside setLegalHold, after recording the call (to interleave another request). */
  onSetLegalHold: ((key: string) => Promise<void>) | undefined;

  async presignUpload(o: Parameters<EvidenceVault['presignUpload']>[0]): Promise<PresignedUpload> {
    this.presignUploads.push(o);
    return { url: `https://vault.test/${o.key}?sig=up`, headers: { 'content-type': o.contentType, 'if-none-match': '*' }, expiresAt: '2099-01-01T00:00:00.000Z' };
  }

  async presignDownload(o: Parameters<EvidenceVault['presignDownload']>[0]): Promise<{ url: string; expiresAt: string }> {
    this.presignDownloads.push(o);
    return { url: `https://vault.test/${o.key}?versionId=${o.versionId ?? ''}&sig=down`, expiresAt: '2099-01-01T00:00:00.000Z' };
  }

  async inspect(key: string, versionId?: string): Promise<StoredObject | undefined> {
    this.inspects.push({ key, ...(versionId ? { versionId } : {}) });
    return this.objects.get(key);
  }

  async setLegalHold(key: string, versionId: string | undefined, on: boolean): Promise<void> {
    this.holds.push({ key, versionId, on });
    await this.onSetLegalHold?.(key);
  }
}

const SHA = 'c'.repeat(64);
const OTHER_SHA = 'd'.repeat(64);
const RETAIN = '2033-03-02T09:00:00.000Z';
const policy: EvidencePolicy = { allowedContentTypes: DEFAULT_EVIDENCE_CONTENT_TYPES, maxBytes: 10 * 1024 * 1024, uploadTtlMs: UPLOAD_TTL_MS };
const body = (over: Partial<RegisterEvidenceBody> = {}): RegisterEvidenceBody => ({ fileName: 'Relevé mars.pdf', contentType: 'application/pdf', sizeBytes: 2048, sha256: SHA, ...over });

const alice = principal('alice', 'handler');
const bob = principal('bob', 'handler');
const sam = principal('sam', 'supervisor');
const cora = principal('cora', 'compliance');
const lee = principal('lee', 'legal');

const setup = async (over: Partial<Case> = {}) => {
  const repo = new FakeRepo();
  const vault = new FakeVault();
  let now = NOW;
  let n = 0;
  const clock = { now: () => now };
  const ids = { next: () => `01JEV${String(++n).padStart(21, '0')}` };
  const svc = new EvidenceService({ repo, clock, ids, vault, policy });
  await repo.create({ case: openedCase(over), head: EMPTY_HEAD, events: [] });
  const actions = () => (repo.audit.get(CASE_ID) ?? []).map((e) => e.action);
  /** Stores an object for a registered item, as a matching upload would (the test may override fields). */
  const store = (ev: Evidence, o: Partial<StoredObject> = {}) => vault.objects.set(ev.key, { sizeBytes: ev.sizeBytes, sha256: ev.sha256, versionId: 'v1', retainUntil: RETAIN, legalHold: false, ...o });
  const created = (ev: Evidence, o: Partial<ObjectCreated> = {}): ObjectCreated => ({ key: ev.key, sizeBytes: ev.sizeBytes, versionId: 'v1', time: at(NOW, 60_000), ...o });
  return { repo, vault, svc, actions, store, created, advance: (ms: number) => (now = at(now, ms)) };
};

describe('register', () => {
  it('stores a pending item, audits it, and returns the vault upload with expiresAt = the item upload window', async () => {
    const { repo, vault, svc, actions } = await setup();
    const out = await svc.register(alice, CASE_ID, body());
    const e = out.evidence;
    expect(e).toMatchObject({ caseId: CASE_ID, status: 'pending', fileName: 'Relevé mars.pdf', registeredBy: 'alice', uploadExpiresAt: at(NOW, UPLOAD_TTL_MS), legalHold: false });
    expect(e.key).toBe(evidenceKey(CASE_ID, e.id));
    expect(vault.presignUploads).toEqual([{ key: e.key, contentType: 'application/pdf', sizeBytes: 2048, sha256: SHA, expiresInSeconds: UPLOAD_TTL_MS / 1000 }]);
    expect(out.upload).toEqual({ url: `https://vault.test/${e.key}?sig=up`, headers: { 'content-type': 'application/pdf', 'if-none-match': '*' }, method: 'PUT', expiresAt: e.uploadExpiresAt });
    expect(repo.evidence.get(e.id)).toEqual(e);
    expect(out.case.version).toBe(2);
    expect(actions()).toEqual(['evidence.registered']);
    expect(verifyChain(repo.audit.get(CASE_ID)!, repo.cases.get(CASE_ID)!.head).valid).toBe(true);
  });

  it('inherits the legal hold of a case on hold', async () => {
    const { svc } = await setup({ legalHold: true });
    expect((await svc.register(alice, CASE_ID, body())).evidence.legalHold).toBe(true);
  });

  it.each([
    ['a supervisor', sam],
    ['compliance', cora],
    ['legal', lee],
  ])('lets %s register on a case they do not own', async (_who, p) => {
    const { svc } = await setup();
    expect((await svc.register(p, CASE_ID, body())).evidence.registeredBy).toBe(p.sub);
  });

  it('forbids another handler, with no write and no signed upload', async () => {
    const { repo, vault, svc } = await setup();
    await expect(svc.register(bob, CASE_ID, body())).rejects.toThrow(ForbiddenError);
    expect(repo.commitCalls).toBe(0);
    expect(vault.presignUploads).toEqual([]);
  });

  it('hides a restricted case from a handler who does not own it (404), but not from legal', async () => {
    const { repo, vault, svc } = await setup({ sensitivity: 'restricted' });
    await expect(svc.register(bob, CASE_ID, body())).rejects.toThrow(NotFoundError);
    expect(repo.commitCalls).toBe(0);
    expect(vault.presignUploads).toEqual([]);
    await expect(svc.register(lee, CASE_ID, body())).resolves.toBeDefined();
  });

  it('is 404 for an unknown case', async () => {
    const { svc } = await setup();
    await expect(svc.register(alice, '01JZZZZZZZZZZZZZZZZZZZZZZZ', body())).rejects.toThrow(NotFoundError);
  });

  it('refuses a closed case (409) and a file outside policy (400) without signing anything', async () => {
    const closed = await setup({ status: 'closed' });
    await expect(closed.svc.register(alice, CASE_ID, body())).rejects.toThrow(ConflictError);
    expect(closed.vault.presignUploads).toEqual([]);
    const { repo, vault, svc } = await setup();
    await expect(svc.register(alice, CASE_ID, body({ contentType: 'application/x-sh', sizeBytes: policy.maxBytes + 1 }))).rejects.toMatchObject({
      constructor: InvalidInputError,
      errors: [expect.objectContaining({ field: 'body.contentType' }), expect.objectContaining({ field: 'body.sizeBytes' })],
    });
    expect(repo.commitCalls).toBe(0);
    expect(vault.presignUploads).toEqual([]);
  });

  it('honours If-Match', async () => {
    const { svc } = await setup();
    await expect(svc.register(alice, CASE_ID, body(), 7)).rejects.toThrow(StaleVersionError);
    await expect(svc.register(alice, CASE_ID, body(), 1)).resolves.toBeDefined();
  });

  it('keeps one evidence id across a lost race and retries on fresh state', async () => {
    const { repo, svc, actions } = await setup();
    repo.concurrentWriters = 1;
    const out = await svc.register(alice, CASE_ID, body());
    expect([...repo.evidence.keys()]).toEqual([out.evidence.id]);
    expect(actions()).toEqual(['note.added', 'evidence.registered']);
  });
});

describe('list', () => {
  it('lists the items of the case for those who may see it', async () => {
    const { svc } = await setup();
    const a = (await svc.register(alice, CASE_ID, body())).evidence;
    const b = (await svc.register(alice, CASE_ID, body({ fileName: 'b.png', contentType: 'image/png' }))).evidence;
    expect((await svc.list(bob, CASE_ID, { limit: 100 })).items.map((e) => e.id).sort()).toEqual([a.id, b.id].sort());
  });

  it('is 404 on a restricted case the caller may not see', async () => {
    const { svc } = await setup({ sensitivity: 'restricted' });
    await expect(svc.list(bob, CASE_ID, { limit: 100 })).rejects.toThrow(NotFoundError);
  });
});

describe('get', () => {
  it('returns a pending item without a link, writing nothing', async () => {
    const { repo, vault, svc, actions } = await setup();
    const e = (await svc.register(alice, CASE_ID, body())).evidence;
    const commits = repo.commitCalls;
    const got = await svc.get(bob, CASE_ID, e.id);
    expect(got).toEqual(e);
    expect(got).not.toHaveProperty('downloadUrl');
    expect(vault.presignDownloads).toEqual([]);
    expect(repo.commitCalls).toBe(commits);
    expect(actions()).toEqual(['evidence.registered']);
  });

  it('links a verified item to its pinned version for 5 minutes and audits exactly one download_issued', async () => {
    const { repo, vault, svc, actions, store, created, advance } = await setup();
    const e = (await svc.register(alice, CASE_ID, body())).evidence;
    store(e, { versionId: 'v7' });
    await svc.verify(created(e, { versionId: 'v7' }));
    // A later object at the same key must never stand in for the verified one.
    vault.objects.set(e.key, { sizeBytes: 1, sha256: OTHER_SHA, versionId: 'v8', legalHold: false });
    advance(3_600_000);
    const got = await svc.get(sam, CASE_ID, e.id);
    const expiresAt = at(NOW, 3_600_000 + DOWNLOAD_TTL_MS);
    expect(vault.presignDownloads).toEqual([{ key: e.key, versionId: 'v7', fileName: 'Relevé mars.pdf', contentType: 'application/pdf', expiresInSeconds: DOWNLOAD_TTL_MS / 1000 }]);
    expect(got).toMatchObject({ status: 'verified', versionId: 'v7', downloadUrl: `https://vault.test/${e.key}?versionId=v7&sig=down`, downloadExpiresAt: expiresAt });
    expect(actions()).toEqual(['evidence.registered', 'evidence.verified', 'evidence.download_issued']);
    const last = repo.audit.get(CASE_ID)!.at(-1)!;
    expect(last).toMatchObject({ actor: 'sam', data: { evidenceId: e.id, fileName: 'Relevé mars.pdf', sha256: SHA, versionId: 'v7', expiresAt } });
    expect(verifyChain(repo.audit.get(CASE_ID)!, repo.cases.get(CASE_ID)!.head).valid).toBe(true);
  });

  it('is 404 for an unknown item, an item of another case, or a case the caller may not see', async () => {
    const { repo, vault, svc } = await setup({ sensitivity: 'restricted' });
    const e = (await svc.register(alice, CASE_ID, body())).evidence;
    await expect(svc.get(alice, CASE_ID, '01JZZZZZZZZZZZZZZZZZZZZZZZ')).rejects.toThrow(NotFoundError);
    await expect(svc.get(bob, CASE_ID, e.id)).rejects.toThrow(NotFoundError);
    const otherCase = '01JBBBBBBBBBBBBBBBBBBBBBBB';
    await repo.create({ case: openedCase({ id: otherCase }), head: EMPTY_HEAD, events: [] });
    await expect(svc.get(alice, otherCase, e.id)).rejects.toThrow(NotFoundError);
    expect(vault.presignDownloads).toEqual([]);
  });
});

describe('legalHold', () => {
  /** Four items: verified (v1), rejected (v2), pending with an object in storage, pending with nothing stored. */
  const fourItems = async (over: Partial<Case> = {}) => {
    const t = await setup(over);
    const reg = async (name: string) => (await t.svc.register(alice, CASE_ID, body({ fileName: name }))).evidence;
    const verified = await reg('verified.pdf');
    const rejected = await reg('rejected.pdf');
    const stored = await reg('stored.pdf');
    const missing = await reg('missing.pdf');
    t.store(verified, { versionId: 'v1' });
    await t.svc.verify(t.created(verified, { versionId: 'v1' }));
    t.store(rejected, { versionId: 'v2', sha256: OTHER_SHA });
    await t.svc.verify(t.created(rejected, { versionId: 'v2' }));
    t.store(stored, { versionId: undefined });
    t.vault.inspects.length = 0;
    t.vault.holds.length = 0;
    return { ...t, verified, rejected, stored, missing };
  };

  it('holds every stored object, then records the hold on the case and every item', async () => {
    const { repo, vault, svc, actions, verified, rejected, stored, missing } = await fourItems();
    expect(repo.evidence.get(verified.id)?.status).toBe('verified');
    expect(repo.evidence.get(rejected.id)?.status).toBe('rejected');
    const c = await svc.legalHold(lee, CASE_ID, { on: true, reason: 'litigation 2026/17' });
    expect(c.legalHold).toBe(true);
    expect(repo.cases.get(CASE_ID)!.case.legalHold).toBe(true);
    expect(vault.holds).toEqual([
      { key: verified.key, versionId: 'v1', on: true },
      { key: rejected.key, versionId: 'v2', on: true },
      { key: stored.key, versionId: undefined, on: true },
    ]);
    // Only pending items are looked up in storage.
    expect(vault.inspects.map((i) => i.key).sort()).toEqual([stored.key, missing.key].sort());
    for (const e of [verified, rejected, stored, missing]) expect(repo.evidence.get(e.id)?.legalHold).toBe(true);
    expect(repo.evidence.get(verified.id)).toMatchObject({ status: 'verified', versionId: 'v1' });
    expect(actions().at(-1)).toBe('legal_hold.applied');
    expect(repo.audit.get(CASE_ID)!.at(-1)).toMatchObject({ actor: 'lee', data: { reason: 'litigation 2026/17', objects: 3, keys: [verified.key, rejected.key, stored.key] } });
  });

  it('releases every stored object with a reason', async () => {
    const { repo, vault, svc, actions, verified, rejected, stored, missing } = await fourItems({ legalHold: true });
    await svc.legalHold(lee, CASE_ID, { on: false, reason: 'matter settled' });
    expect(vault.holds).toEqual([
      { key: verified.key, versionId: 'v1', on: false },
      { key: rejected.key, versionId: 'v2', on: false },
      { key: stored.key, versionId: undefined, on: false },
    ]);
    expect(repo.cases.get(CASE_ID)!.case.legalHold).toBe(false);
    for (const e of [verified, rejected, stored, missing]) expect(repo.evidence.get(e.id)?.legalHold).toBe(false);
    expect(actions().at(-1)).toBe('legal_hold.released');
  });

  it('holds a case with no evidence (0 objects)', async () => {
    const { repo, vault, svc } = await setup();
    await svc.legalHold(lee, CASE_ID, { on: true });
    expect(vault.holds).toEqual([]);
    expect(repo.audit.get(CASE_ID)!.at(-1)).toMatchObject({ action: 'legal_hold.applied', data: { reason: null, objects: 0, keys: [] } });
  });

  it.each([true, false])('is 409 when the hold is already %s, touching no storage', async (on) => {
    const { repo, vault, svc } = await fourItems({ legalHold: on });
    const commits = repo.commitCalls;
    await expect(svc.legalHold(lee, CASE_ID, { on, reason: 'again' })).rejects.toThrow(ConflictError);
    expect(vault.holds).toEqual([]);
    expect(vault.inspects).toEqual([]);
    expect(repo.commitCalls).toBe(commits);
  });

  it('is 404 on a restricted case the caller may not see, touching no storage', async () => {
    const { vault, svc } = await setup({ sensitivity: 'restricted' });
    await expect(svc.legalHold(bob, CASE_ID, { on: true })).rejects.toThrow(NotFoundError);
    expect(vault.holds).toEqual([]);
  });

  // Regression: the reason used to be checked only after every object's S3 hold had been released.
  it('refuses a release without a reason before releasing anything in storage', async () => {
    const { repo, vault, svc } = await fourItems({ legalHold: true });
    await expect(svc.legalHold(lee, CASE_ID, { on: false })).rejects.toThrow(InvalidInputError);
    expect(repo.cases.get(CASE_ID)!.case.legalHold).toBe(true);
    expect(vault.holds).toEqual([]);
  });

  // Regression: the items used to be read before the transaction and written back whole, so an item verified in
  // between was overwritten with its stale (pending) copy. Now they are read inside the attempt.
  it('does not undo a verification that lands while the hold is being applied', async () => {
    const { repo, vault, svc, store, created } = await setup();
    const e = (await svc.register(alice, CASE_ID, body())).evidence;
    store(e, { versionId: 'v1' });
    vault.onSetLegalHold = async () => {
      vault.onSetLegalHold = undefined;
      await svc.verify(created(e, { versionId: 'v1' }));
    };
    await svc.legalHold(lee, CASE_ID, { on: true, reason: 'litigation' });
    expect(repo.audit.get(CASE_ID)!.map((a) => a.action)).toEqual(['evidence.registered', 'evidence.verified', 'legal_hold.applied']);
    expect(repo.evidence.get(e.id)).toMatchObject({ status: 'verified', versionId: 'v1', legalHold: true });
  });
});

describe('verify', () => {
  it('ignores a key that is not evidence, without asking storage', async () => {
    const { vault, svc } = await setup();
    for (const key of [`cases/${CASE_ID}/exports/01JEV000000000000000000001`, 'cases/../../etc/passwd', 'receipt.pdf']) {
      expect(await svc.verify({ key, sizeBytes: 1, time: NOW })).toEqual({ outcome: 'ignored', reason: 'not_evidence', key });
    }
    expect(vault.inspects).toEqual([]);
  });

  it('ignores an object storage no longer has', async () => {
    const { repo, vault, svc, created } = await setup();
    const e = (await svc.register(alice, CASE_ID, body())).evidence;
    const commits = repo.commitCalls;
    expect(await svc.verify(created(e, { versionId: 'v3' }))).toEqual({ outcome: 'ignored', reason: 'object_missing', key: e.key });
    expect(vault.inspects).toEqual([{ key: e.key, versionId: 'v3' }]);
    expect(repo.commitCalls).toBe(commits);
  });

  it('verifies a matching upload: the item records the version and retention, and the verification is audited', async () => {
    const { repo, vault, svc, actions, store, created } = await setup();
    const e = (await svc.register(alice, CASE_ID, body())).evidence;
    store(e);
    expect(await svc.verify(created(e))).toEqual({ outcome: 'verified', caseId: CASE_ID, evidenceId: e.id });
    expect(repo.evidence.get(e.id)).toMatchObject({ status: 'verified', versionId: 'v1', retainUntil: RETAIN, uploadRef: 'v1', verifiedAt: NOW });
    expect(actions()).toEqual(['evidence.registered', 'evidence.verified']);
    expect(vault.holds).toEqual([]);
  });

  it('rejects a mismatching upload with the reason', async () => {
    const { repo, svc, store, created } = await setup();
    const e = (await svc.register(alice, CASE_ID, body())).evidence;
    store(e, { sha256: OTHER_SHA });
    expect(await svc.verify(created(e))).toEqual({ outcome: 'rejected', caseId: CASE_ID, evidenceId: e.id, reason: 'checksum_mismatch' });
    expect(repo.evidence.get(e.id)).toMatchObject({ status: 'rejected', rejection: { reason: 'checksum_mismatch' } });
  });

  it('treats a redelivered event as a duplicate: nothing written', async () => {
    const { repo, svc, store, created } = await setup();
    const e = (await svc.register(alice, CASE_ID, body())).evidence;
    store(e);
    await svc.verify(created(e));
    const commits = repo.commitCalls;
    const audit = repo.audit.get(CASE_ID)!.length;
    expect(await svc.verify(created(e))).toEqual({ outcome: 'ignored', reason: 'duplicate', key: e.key });
    expect(repo.commitCalls).toBe(commits);
    expect(repo.audit.get(CASE_ID)!.length).toBe(audit);
  });

  it('without versioning, tells uploads apart by the event sequencer', async () => {
    const { repo, svc, store, created } = await setup();
    const e = (await svc.register(alice, CASE_ID, body())).evidence;
    store(e, { versionId: undefined });
    const first = created(e, { versionId: undefined, sequencer: '00A1' });
    expect(await svc.verify(first)).toMatchObject({ outcome: 'verified' });
    expect(repo.evidence.get(e.id)?.uploadRef).toBe('00A1');
    expect(repo.evidence.get(e.id)).not.toHaveProperty('versionId');
    expect(await svc.verify(first)).toMatchObject({ outcome: 'ignored', reason: 'duplicate' });
    expect(await svc.verify(created(e, { versionId: undefined, sequencer: '00A2' }))).toMatchObject({ outcome: 'refused', caseId: CASE_ID });
    expect(repo.audit.get(CASE_ID)!.at(-1)).toMatchObject({ action: 'evidence.upload_refused', data: { evidenceId: e.id, reason: 'already_verified' } });
    expect(repo.evidence.get(e.id)).toMatchObject({ status: 'verified', uploadRef: '00A1' });
  });

  it('takes the version from storage when the event carries none', async () => {
    const { repo, svc, store, created } = await setup();
    const e = (await svc.register(alice, CASE_ID, body())).evidence;
    store(e, { versionId: 'v5' });
    await svc.verify(created(e, { versionId: undefined }));
    expect(repo.evidence.get(e.id)).toMatchObject({ status: 'verified', versionId: 'v5', uploadRef: 'v5' });
  });

  it('records an upload nobody registered as refused, and ignores one for an unknown case', async () => {
    const { svc, vault, actions } = await setup();
    const key = evidenceKey(CASE_ID, '01JEV000000000000000000099');
    vault.objects.set(key, { sizeBytes: 5, sha256: SHA, versionId: 'v1', legalHold: false });
    expect(await svc.verify({ key, sizeBytes: 5, versionId: 'v1', time: NOW })).toEqual({ outcome: 'refused', caseId: CASE_ID, evidenceId: null });
    expect(actions()).toEqual(['evidence.upload_refused']);
    const stray = evidenceKey('01JZZZZZZZZZZZZZZZZZZZZZZZ', '01JEV000000000000000000099');
    vault.objects.set(stray, { sizeBytes: 5, legalHold: false });
    expect(await svc.verify({ key: stray, sizeBytes: 5, versionId: 'v1', time: NOW })).toEqual({ outcome: 'ignored', reason: 'unknown_case', key: stray });
  });

  it('rejects an upload made after the window closed (by the event time)', async () => {
    const { svc, store, created } = await setup();
    const e = (await svc.register(alice, CASE_ID, body())).evidence;
    store(e);
    expect(await svc.verify(created(e, { time: at(e.uploadExpiresAt, 1) }))).toMatchObject({ outcome: 'rejected', reason: 'upload_after_expiry' });
  });

  it('holds the verified version at once when the case is on legal hold', async () => {
    const { repo, vault, svc, store, created } = await setup({ legalHold: true });
    const e = (await svc.register(alice, CASE_ID, body())).evidence;
    store(e, { versionId: 'v4' });
    await svc.verify(created(e, { versionId: 'v4' }));
    expect(vault.holds).toEqual([{ key: e.key, versionId: 'v4', on: true }]);
    expect(repo.evidence.get(e.id)).toMatchObject({ status: 'verified', legalHold: true });
  });

  it('retries a lost race on fresh state and records one verification', async () => {
    const { repo, svc, actions, store, created } = await setup();
    const e = (await svc.register(alice, CASE_ID, body())).evidence;
    store(e);
    repo.concurrentWriters = 2;
    expect(await svc.verify(created(e))).toMatchObject({ outcome: 'verified' });
    expect(actions()).toEqual(['evidence.registered', 'note.added', 'note.added', 'evidence.verified']);
    expect(verifyChain(repo.audit.get(CASE_ID)!, repo.cases.get(CASE_ID)!.head).valid).toBe(true);
  });
});
