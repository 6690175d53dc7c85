// Compliance exports end to end on the local stack: request (202) → the export builder picks the job up from the
// stream → a ZIP streamed from the evidence bucket into the exports bucket under compliance retention → audited
// download → the offline verifier passes it with the published key. A running export is returned, not duplicated;
// legal hold reaches bundles; evidence that no longer matches its verified hash fails the export with the reason;
// subject access lists a person's cases. Every refusal the issue lists.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ulid } from 'ulid';
import { s3Client } from '#adapters/aws/s3-evidence-vault';
import type { LocalExportLock } from '#adapters/local/local-export-lock';
import { exportStorage } from '#http/export-storage';
import { expectProblem, settle, startTestApi, validComplaint, type TestApi } from '../support/api';
import { verifyBundle } from '../../tools/complaint-verify/verify';
import { clockNowMs } from '../support/clock';

jest.setTimeout(120_000);

let api: TestApi;
let dir: string;
const tok = (sub: string, role: 'handler' | 'supervisor' | 'compliance' | 'legal' | 'intake' | 'admin') => api.token(sub, [role]);
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  api = await startTestApi();
  dir = mkdtempSync(join(tmpdir(), 'exports-test-'));
});
afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

const openCase = async (over: Record<string, unknown> = {}) => {
  const res = await settle(api.client(await tok('sam', 'supervisor')).POST('/v1/complaints', { body: validComplaint({ ownerId: 'alice', ...over }) }));
  expect(res.status).toBe(201);
  return res.body.id as string;
};

const upload = async (caseId: string, fileName: string, bytes: Buffer) => {
  const reg = await settle(
    api.client(await tok('alice', 'handler')).POST('/v1/complaints/{id}/evidence', {
      params: { path: { id: caseId } },
      body: { fileName, contentType: 'application/pdf', sizeBytes: bytes.length, sha256: sha(bytes) },
    }),
  );
  expect(reg.status).toBe(201);
  // The upload goes to S3 on the presigned URL, not to the API: a plain PUT, as a browser sends it.
  const put = await fetch(reg.body.upload.url as string, { method: 'PUT', headers: reg.body.upload.headers as Record<string, string>, body: bytes });
  expect(put.status).toBe(200);
  await api.s3Idle();
  return reg.body.evidenceId as string;
};

const requestExport = async (caseId: string, sub = 'cora', role: 'compliance' | 'legal' = 'compliance') =>
  settle(api.client(await tok(sub, role)).POST('/v1/complaints/{id}/exports', { params: { path: { id: caseId } } }));
const getExport = async (exportId: string, sub = 'cora', role: 'compliance' | 'handler' = 'compliance') =>
  settle(api.client(await tok(sub, role)).GET('/v1/exports/{exportId}', { params: { path: { exportId } } }));
const timeline = async (caseId: string) =>
  ((await settle(api.client(await tok('sam', 'supervisor')).GET('/v1/complaints/{id}/timeline', { params: { path: { id: caseId } } }))).body as { items: { seq: number; action: string; actor: string; data: Record<string, unknown> }[]; chain: { valid: boolean } });
/** Fetches a bundle from S3 on its presigned download URL (not an API route: a plain GET). */
const download = async (url: string, name: string) => {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  const bytes = Buffer.from(await res.arrayBuffer());
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return { bytes, file };
};
const publicKey = async () => (await settle(api.client(await tok('hal', 'handler')).GET('/v1/exports/public-key'))).body.publicKeyPem as string;
const lock = () => exportStorage() as LocalExportLock;

const LETTER = Buffer.from('%PDF-1.7\nDear customer, we are sorry your delivery was late three times.\n%%EOF\n');
const CALL = Buffer.alloc(3 * 1024 * 1024, 7);

describe('export → download → verify', () => {
  let caseId: string;
  let exportId: string;

  beforeAll(async () => {
    caseId = await openCase();
    await upload(caseId, 'Letter to customer.pdf', LETTER);
    await upload(caseId, 'Call recording transcript.pdf', CALL);
    const note = await settle(api.client(await tok('alice', 'handler')).POST('/v1/complaints/{id}/notes', { params: { path: { id: caseId } }, body: { kind: 'call_note', body: 'Customer called about the third missed delivery.' } }));
    expect(note.status).toBe(201);
  });

  it('answers 202 with a pending job and where to poll; a second request while it runs returns the same job', async () => {
    const first = await requestExport(caseId);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ caseId, status: 'pending', requestedBy: 'cora', legalHold: false });
    expect(first.body.key).toBeUndefined();
    exportId = first.body.exportId as string;
    expect(first.headers.get('location')).toBe(`/v1/exports/${exportId}`);
    const second = await requestExport(caseId, 'lee', 'legal');
    expect(second.status).toBe(202);
    expect(second.body.exportId).toBe(exportId);
    expect((await getExport(exportId)).body.status).toBe('pending');
  });

  it('is built from the stream into a locked bundle; GET gives its SHA-256, retention and an audited download link', async () => {
    await api.pump();
    const res = await getExport(exportId);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ready', files: 12 /* 11 case files and evidence, and audit-anchor.json */, legalHold: false, downloadUrl: expect.stringContaining(`/cases/${caseId}/exports/${exportId}.zip`) });
    // Seven years of compliance-mode retention from the export, recorded on the (local) lock as S3 would hold it.
    expect(Date.parse(res.body.retainUntil as string) - Date.parse(res.body.requestedAt as string)).toBe(2557 * 86_400_000);
    expect(await lock().lockOf(`cases/${caseId}/exports/${exportId}.zip`)).toEqual({ retainUntil: res.body.retainUntil, legalHold: false });
    const { bytes, file } = await download(res.body.downloadUrl as string, 'bundle.zip');
    expect(bytes.length).toBe(res.body.sizeBytes);
    expect(sha(bytes)).toBe(res.body.sha256);

    const report = await verifyBundle(file, { publicKeyPem: await publicKey() });
    expect(report.failures).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.info).toMatchObject({ caseId, exportedBy: 'cora' });

    const t = await timeline(caseId);
    expect(t.chain.valid).toBe(true);
    const actions = t.items.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['export.requested', 'export.started', 'export.completed', 'export.download_issued']));
    expect(t.items.find((e) => e.action === 'export.completed')?.data).toMatchObject({ exportId, sha256: res.body.sha256, files: 12 });
    expect(t.items.find((e) => e.action === 'export.download_issued')).toMatchObject({ actor: 'cora', data: { exportId, sha256: res.body.sha256 } });
  });

  it('a new export can start once the previous one has finished', async () => {
    const again = await requestExport(caseId);
    expect(again.status).toBe(202);
    expect(again.body.exportId).not.toBe(exportId);
    await api.pump();
    expect((await getExport(again.body.exportId as string)).body.status).toBe('ready');
  });

  it('legal hold reaches existing bundles, and a bundle exported during the hold is written held', async () => {
    const hold = await settle(api.client(await tok('lee', 'legal')).POST('/v1/complaints/{id}/legal-hold', { params: { path: { id: caseId } }, body: { on: true, reason: 'Litigation notice received from the customer’s solicitor' } }));
    expect(hold.status).toBe(200);
    expect((await lock().lockOf(`cases/${caseId}/exports/${exportId}.zip`))?.legalHold).toBe(true);
    const held = await requestExport(caseId);
    await api.pump();
    const res = await getExport(held.body.exportId as string);
    expect(res.body).toMatchObject({ status: 'ready', legalHold: true });
    expect((await lock().lockOf(`cases/${caseId}/exports/${held.body.exportId as string}.zip`))?.legalHold).toBe(true);
    const { file } = await download(res.body.downloadUrl as string, 'held.zip');
    const report = await verifyBundle(file, { publicKeyPem: await publicKey() });
    expect(report.ok).toBe(true);
  });
});

describe('evidence that no longer matches its verified hash', () => {
  it('fails the export with the file and both hashes, and stores no bundle', async () => {
    const caseId = await openCase();
    const evidenceId = await upload(caseId, 'Statement.pdf', LETTER);
    // Someone with raw storage access replaces the object (the local S3 has no Object Lock to stop it).
    const forged = Buffer.from('%PDF-1.7\nnothing happened\n%%EOF\n');
    await s3Client({ region: 'local', endpoint: api.s3.endpoint }).send(new PutObjectCommand({ Bucket: api.s3.bucket, Key: `cases/${caseId}/evidence/${evidenceId}`, Body: forged }));
    await api.s3Idle();
    const req = await requestExport(caseId);
    await api.pump();
    const res = await getExport(req.body.exportId as string);
    expect(res.body).toMatchObject({ status: 'failed', error: expect.stringContaining(`evidence/${evidenceId}/Statement.pdf`) });
    expect(res.body.error).toContain(sha(LETTER));
    expect(res.body.downloadUrl).toBeUndefined();
    // The upload was abandoned part-way: no object under the bundle's key, and nothing locked under it.
    expect(await lock().lockOf(`cases/${caseId}/exports/${req.body.exportId as string}.zip`)).toBeUndefined();
    await expect(s3Client({ region: 'local', endpoint: api.s3.endpoint }).send(new HeadObjectCommand({ Bucket: api.stack.s3.exportsBucket, Key: `cases/${caseId}/exports/${req.body.exportId as string}.zip` }))).rejects.toMatchObject({ name: 'NotFound' });
    const t = await timeline(caseId);
    expect(t.items.find((e) => e.action === 'export.failed')?.data).toMatchObject({ exportId: req.body.exportId });
    // The case may be exported again (the failed job no longer blocks it).
    expect((await requestExport(caseId)).body.exportId).not.toBe(req.body.exportId);
  });
});

describe('refusals', () => {
  it('unknown or invisible case → 404; a role that may not export → 403; nothing written', async () => {
    expectProblem(await requestExport(ulid()), 404);
    const restricted = await openCase({ sensitivity: 'restricted' });
    for (const role of ['handler', 'supervisor', 'admin', 'intake'] as const) {
      expectProblem(await settle(api.client(await tok('alice', role)).POST('/v1/complaints/{id}/exports', { params: { path: { id: restricted } } })), 403);
    }
    // Raw: without a token (the contract requires one on every route but health and openapi).
    expectProblem(await api.raw('POST', `/v1/complaints/${restricted}/exports`), 401);
    expect((await timeline(restricted)).items.some((e) => e.action.startsWith('export.'))).toBe(false);
    // Compliance and legal see restricted cases.
    expect((await requestExport(restricted, 'lee', 'legal')).status).toBe(202);
  });

  it('GET of an unknown export → 404, of a malformed id → 400, by a role that may not → 403', async () => {
    expectProblem(await getExport(ulid()), 404);
    expectProblem(await getExport('not-an-id'), 400);
    const caseId = await openCase();
    const req = await requestExport(caseId);
    expectProblem(await getExport(req.body.exportId as string, 'alice', 'handler'), 403);
  });

  it('the public key is published to any signed-in user, not anonymously', async () => {
    const res = await settle(api.client(await tok('ian', 'intake')).GET('/v1/exports/public-key'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ algorithm: 'ECDSA_SHA_256', curve: 'P-256', keyId: expect.stringMatching(/^local:[0-9a-f]{16}$/), publicKeyPem: expect.stringContaining('BEGIN PUBLIC KEY') });
    // Raw: without a token (the contract requires one).
    expectProblem(await api.raw('GET', '/v1/exports/public-key'), 401);
  });
});

describe('subject access', () => {
  it('lists a person’s cases newest first for compliance; others are refused', async () => {
    const customer = { id: `dsr-${ulid()}`, name: 'Grace Hopper', email: 'grace@example.com' };
    const first = await openCase({ customer, receivedAt: new Date(clockNowMs() - 3 * 86_400_000).toISOString() });
    const second = await openCase({ customer });
    await openCase();
    const subjectAccess = async (token: string, query: { limit?: number; cursor?: string } = {}) =>
      settle(api.client(token).GET('/v1/customers/{customerId}/complaints', { params: { path: { customerId: customer.id }, query } }));
    const cora = await tok('cora', 'compliance');
    const res = await subjectAccess(cora);
    expect(res.status).toBe(200);
    expect(res.body.items.map((c: { id: string }) => c.id)).toEqual([second, first]);
    const page = await subjectAccess(cora, { limit: 1 });
    expect(page.body.items).toHaveLength(1);
    const next = await subjectAccess(cora, { limit: 1, cursor: page.body.nextCursor as string });
    expect(next.body.items.map((c: { id: string }) => c.id)).toEqual([first]);
    expectProblem(await subjectAccess(cora, { cursor: 'abc' }), 400);
    for (const role of ['handler', 'supervisor', 'legal', 'admin'] as const) {
      expectProblem(await subjectAccess(await tok('x', role)), 403);
    }
  });
});
