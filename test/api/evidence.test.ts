// The evidence vault end to end on the local stack: register → presigned PUT with fetch → S3 "Object Created"
// → verifier → verified / rejected; audited download; legal hold; every bad input the issue lists.
import { createHash } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ulid } from 'ulid';
import { s3Client } from '#adapters/aws/s3-evidence-vault';
import { evidenceObjects as evidenceVault } from '#http/evidence-vault';
import type { components } from '@complaints/client';
import { expectProblem, settle, startTestApi, validComplaint, type TestApi } from '../support/api';
import { lambdaContext } from '../../infra/local/server';
import { clockNowMs } from '../support/clock';

type RegisterEvidence = components['schemas']['RegisterEvidence'];
let api: TestApi;
const tok = (sub: string, role: 'handler' | 'supervisor' | 'compliance' | 'legal') => api.token(sub, [role]);
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const openCase = async (over: Record<string, unknown> = {}) => {
  const res = await settle(api.client(await tok('sam', 'supervisor')).POST('/v1/complaints', { body: validComplaint({ ownerId: 'alice', ...over }) }));
  expect(res.status).toBe(201);
  return res.body.id as string;
};

const register = async (caseId: string, body: RegisterEvidence, sub = 'alice') =>
  settle(api.client(await tok(sub, 'handler')).POST('/v1/complaints/{id}/evidence', { params: { path: { id: caseId } }, body }));

/** Uploads to S3 on the presigned URL (not an API route: a plain PUT, as a browser sends it). */
const put = async (upload: { url: string; headers: Record<string, string> }, bytes: Buffer) => {
  const res = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: bytes });
  await api.s3Idle();
  return res;
};

const item = async (caseId: string, evidenceId: string, sub = 'alice') =>
  settle(api.client(await tok(sub, 'handler')).GET('/v1/complaints/{id}/evidence/{evidenceId}', { params: { path: { id: caseId, evidenceId } } }));
const list = async (caseId: string, token: string) => settle(api.client(token).GET('/v1/complaints/{id}/evidence', { params: { path: { id: caseId } } }));
const legalHold = (caseId: string, token: string, body: components['schemas']['LegalHold']) =>
  settle(api.client(token).POST('/v1/complaints/{id}/legal-hold', { params: { path: { id: caseId } }, body }));
const timeline = async (caseId: string) =>
  ((await settle(api.client(await tok('sam', 'supervisor')).GET('/v1/complaints/{id}/timeline', { params: { path: { id: caseId } } }))).body.items as { seq: number; actor: string; action: string; data: Record<string, unknown> }[]);

const LETTER = Buffer.from('%PDF-1.7\nDear customer, we are sorry your delivery was late three times.\n%%EOF\n');
const letter = (over: Partial<RegisterEvidence> = {}): RegisterEvidence => ({ fileName: 'Final response – draft (v2).pdf', contentType: 'application/pdf', sizeBytes: LETTER.length, sha256: sha(LETTER), ...over });

describe('register → upload → verified → download', () => {
  let caseId: string;
  let evidenceId: string;

  beforeAll(async () => {
    caseId = await openCase();
  });

  it('registers a pending item under a server-chosen key and signs a 15-minute PUT', async () => {
    const res = await register(caseId, letter());
    expect(res.status).toBe(201);
    evidenceId = res.body.evidenceId;
    expect(res.body.evidence).toMatchObject({ status: 'pending', key: `cases/${caseId}/evidence/${evidenceId}`, sha256: sha(LETTER), legalHold: false });
    expect(res.body.upload).toMatchObject({ method: 'PUT', headers: { 'content-type': 'application/pdf', 'x-amz-checksum-sha256': Buffer.from(sha(LETTER), 'hex').toString('base64') } });
    expect(res.body.upload.url).not.toContain('draft'); // never the client's file name
    expect(Date.parse(res.body.upload.expiresAt) - Date.parse(res.body.evidence.registeredAt)).toBe(15 * 60_000);
    const [registered] = (await timeline(caseId)).filter((e) => e.action === 'evidence.registered');
    expect(registered).toMatchObject({ actor: 'alice', data: { evidenceId, sha256: sha(LETTER) } });
  });

  it('the client PUTs the bytes straight to storage; the verifier marks the item verified with its retention', async () => {
    const reg = await register(caseId, letter({ fileName: 'letter.pdf' }));
    evidenceId = reg.body.evidenceId;
    expect((await put(reg.body.upload, LETTER)).status).toBe(200);
    const res = await item(caseId, evidenceId);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'verified', sha256: sha(LETTER), sizeBytes: LETTER.length });
    // Seven years of compliance-mode retention (2557 days) from the upload.
    expect(Date.parse(res.body.retainUntil) - Date.parse(res.body.verifiedAt)).toBeGreaterThan(2556 * 86_400_000);
    const verified = (await timeline(caseId)).filter((e) => e.action === 'evidence.verified');
    expect(verified.map((e) => e.data.evidenceId)).toContain(evidenceId);
  });

  it('issues a 5-minute download link of the verified bytes, and records who was given it', async () => {
    const res = await item(caseId, evidenceId, 'sam');
    expect(res.body.downloadUrl).toEqual(expect.any(String));
    // Five minutes from the request on the stack's clock (the suite's fixed instant plus its moves). Compared with the
    // machine's time it would pass vacuously whenever the suite's instant lies in the past (it did, until a run on
    // 24 December put it ahead). The presigner itself signs with the machine's time for five minutes.
    const sinceAnswer = Date.parse(res.body.downloadExpiresAt) - clockNowMs();
    expect(sinceAnswer).toBeLessThanOrEqual(5 * 60_000);
    expect(sinceAnswer).toBeGreaterThan(5 * 60_000 - 10_000);
    // The presigned download URL points at S3, not at the API: a plain GET.
    const download = await fetch(res.body.downloadUrl as string);
    expect(download.status).toBe(200);
    expect(sha(Buffer.from(await download.arrayBuffer()))).toBe(sha(LETTER));
    const issued = (await timeline(caseId)).filter((e) => e.action === 'evidence.download_issued');
    expect(issued.at(-1)).toMatchObject({ actor: 'sam', data: { evidenceId, sha256: sha(LETTER) } });
    const listed = await list(caseId, await tok('sam', 'supervisor'));
    expect(listed.body.items.map((e: { id: string; status: string }) => [e.id, e.status])).toContainEqual([evidenceId, 'verified']);
  });

  it('storage is write-once: a second PUT to a verified key is refused (412) and the evidence stays as verified', async () => {
    const reg = await register(caseId, letter({ fileName: 'twice.pdf' }));
    expect((await put(reg.body.upload, LETTER)).status).toBe(200);
    const again = await put(reg.body.upload, LETTER);
    expect(again.status).toBe(412);
    const res = await item(caseId, reg.body.evidenceId);
    expect(res.body.status).toBe('verified');
    // Read back from S3 on the presigned download URL (a plain GET).
    expect(sha(Buffer.from(await (await fetch(res.body.downloadUrl as string)).arrayBuffer()))).toBe(sha(LETTER));
  });

  it('a redelivered upload event changes nothing; another upload event for a settled item is recorded as refused', async () => {
    const reg = await register(caseId, letter({ fileName: 'events.pdf' }));
    await put(reg.body.upload, LETTER);
    const settled = (await item(caseId, reg.body.evidenceId)).body;
    const before = (await timeline(caseId)).length;
    const event = (sequencer: string) => ({
      version: '0',
      'detail-type': 'Object Created',
      source: 'aws.s3',
      time: new Date(clockNowMs()).toISOString(),
      detail: { bucket: { name: api.s3.bucket }, object: { key: settled.key, size: LETTER.length, sequencer } },
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { handler } = require('../../functions/evidence-verifier/handler') as { handler: (e: unknown, c: unknown) => Promise<{ outcome: string; reason?: string }> };
    expect(await handler(event(settled.uploadRef as string), lambdaContext('evidence-verifier'))).toMatchObject({ outcome: 'ignored', reason: 'duplicate' });
    expect((await timeline(caseId)).length).toBe(before);
    // A different upload of the same key (a new object version in a versioned bucket) cannot replace it.
    expect(await handler(event('FFFFFFFFFFFFFFFFFF'), lambdaContext('evidence-verifier'))).toMatchObject({ outcome: 'refused' });
    const [refused] = (await timeline(caseId)).filter((e) => e.action === 'evidence.upload_refused' && e.data.evidenceId === reg.body.evidenceId);
    expect(refused?.data.reason).toBe('already_verified');
    expect((await item(caseId, reg.body.evidenceId)).body).toMatchObject({ status: 'verified', uploadRef: settled.uploadRef });
  });

  it('a mismatching upload is rejected with the reason and leaves verified evidence untouched', async () => {
    const forged = Buffer.from(LETTER.toString().replace('sorry', 'happy'));
    expect(forged.length).toBe(LETTER.length);
    const reg = await register(caseId, letter({ fileName: 'copy.pdf' }));
    await put(reg.body.upload, forged);
    const res = await item(caseId, reg.body.evidenceId);
    expect(res.body).toMatchObject({ status: 'rejected', rejection: { reason: 'checksum_mismatch' } });
    expect(res.body.downloadUrl).toBeUndefined();
    expect((await item(caseId, evidenceId)).body.status).toBe('verified');
    const [rejected] = (await timeline(caseId)).filter((e) => e.action === 'evidence.rejected');
    expect(rejected?.data).toMatchObject({ evidenceId: reg.body.evidenceId, reason: 'checksum_mismatch' });
  });

  it('an upload of another size than registered never verifies', async () => {
    const reg = await register(caseId, letter({ fileName: 'short.pdf', sizeBytes: LETTER.length - 1 }));
    const res = await put(reg.body.upload, LETTER);
    const after = (await item(caseId, reg.body.evidenceId)).body;
    // Storage refuses the PUT (the length is signed) or the verifier rejects it: either way it is not evidence.
    if (res.status === 200) expect(after).toMatchObject({ status: 'rejected', rejection: { reason: 'size_mismatch' } });
    else expect(after.status).toBe('pending');
  });

  it('an upload to a key nobody registered is recorded on the case and creates no evidence', async () => {
    const key = `cases/${caseId}/evidence/${ulid()}`;
    const s3 = s3Client({ bucket: api.s3.bucket, region: 'local', endpoint: api.s3.endpoint });
    await s3.send(new PutObjectCommand({ Bucket: api.s3.bucket, Key: key, Body: Buffer.from('stray'), ContentType: 'text/plain' }));
    await api.s3Idle();
    const refused = (await timeline(caseId)).filter((e) => e.action === 'evidence.upload_refused');
    expect(refused.at(-1)?.data).toMatchObject({ key, reason: 'unregistered' });
    const listed = await list(caseId, await tok('sam', 'supervisor'));
    expect(listed.body.items.map((e: { key: string }) => e.key)).not.toContain(key);
  });

  it('an upload after the registration expired is rejected', async () => {
    const reg = await register(caseId, letter({ fileName: 'late.pdf' }));
    await api.advanceClock('PT16M');
    await put(reg.body.upload, LETTER);
    expect((await item(caseId, reg.body.evidenceId)).body).toMatchObject({ status: 'rejected', rejection: { reason: 'upload_after_expiry' } });
  });
});

describe('legal hold', () => {
  it('legal or compliance apply it to every stored object of the case; release needs a reason; others get 403', async () => {
    const caseId = await openCase();
    const reg = await register(caseId, letter({ fileName: 'held.pdf' }));
    await put(reg.body.upload, LETTER);
    const legal = await tok('lee', 'legal');
    expectProblem(await legalHold(caseId, await tok('alice', 'handler'), { on: true, reason: 'litigation' }), 403);
    expectProblem(await legalHold(caseId, await tok('sam', 'supervisor'), { on: true, reason: 'litigation' }), 403);

    const on = await legalHold(caseId, legal, { on: true, reason: 'Solicitor’s letter before action received' });
    expect(on.status).toBe(200);
    expect(on.body.legalHold).toBe(true);
    expect((await item(caseId, reg.body.evidenceId)).body.legalHold).toBe(true);
    expect((await evidenceVault().inspect(`cases/${caseId}/evidence/${reg.body.evidenceId}`))?.legalHold).toBe(true);
    const [applied] = (await timeline(caseId)).filter((e) => e.action === 'legal_hold.applied');
    expect(applied).toMatchObject({ actor: 'lee', data: { objects: 1 } });
    expectProblem(await legalHold(caseId, legal, { on: true, reason: 'again' }), 409);

    const noReason = await legalHold(caseId, legal, { on: false });
    expectProblem(noReason, 400);
    expect(noReason.body.errors).toEqual([expect.objectContaining({ field: 'body.reason' })]);
    const off = await legalHold(caseId, await tok('cora', 'compliance'), { on: false, reason: 'Claim settled; solicitor confirmed in writing' });
    expect(off.status).toBe(200);
    expect(off.body.legalHold).toBe(false);
    expect((await evidenceVault().inspect(`cases/${caseId}/evidence/${reg.body.evidenceId}`))?.legalHold).toBe(false);
  });
});

describe('bad input', () => {
  let caseId: string;
  beforeAll(async () => {
    caseId = await openCase();
  });

  it.each([
    ['a malformed SHA-256', { sha256: 'xyz' }, 'body.sha256'],
    ['a SHA-256 of the wrong length', { sha256: 'ab'.repeat(31) }, 'body.sha256'],
    ['a size above the limit', { sizeBytes: 100 * 1024 * 1024 + 1 }, 'body.sizeBytes'],
    ['a zero size', { sizeBytes: 0 }, 'body.sizeBytes'],
    ['a disallowed content type', { contentType: 'application/x-msdownload' }, 'body.contentType'],
    ['a path-like file name', { fileName: '../../etc/passwd' }, 'body.fileName'],
    ['a Windows path', { fileName: 'C:\\Users\\ada\\letter.pdf' }, 'body.fileName'],
    ['control characters in the file name', { fileName: 'letter\u0007.pdf' }, 'body.fileName'],
    ['a file name that is only dots', { fileName: '..' }, 'body.fileName'],
    ['a right-to-left override disguising the extension', { fileName: 'invoice\u202Efdp.exe' }, 'body.fileName'],
  ])('%s → 400 naming the field', async (_label, over, field) => {
    const res = await register(caseId, letter(over));
    expectProblem(res, 400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('evidence on a case the caller cannot see → 404 (register, list, get)', async () => {
    const restricted = await openCase({ sensitivity: 'restricted', ownerId: 'olga' });
    expectProblem(await register(restricted, letter(), 'harry'), 404);
    expectProblem(await list(restricted, await tok('harry', 'handler')), 404);
    expectProblem(await item(restricted, ulid(), 'harry'), 404);
  });

  it('an unknown evidence id → 404', async () => {
    expectProblem(await item(caseId, ulid()), 404);
  });
});
