// Release for legal discovery (issue 32 item 6), over HTTP: its own approval (one legal and one compliance approver,
// never the requester or the owner); only then is the bundle built, with the release and approvals in its signed manifest.
import * as yauzl from 'yauzl';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { components } from '@complaints/client';
import { expectProblem, settle, startTestApi, validComplaint, type TestApi } from '../support/api';
import { verifyBundle } from '../../tools/complaint-verify/verify';

jest.setTimeout(300_000);

const UNKNOWN_ULID = '01JZZZZZZZZZZZZZZZZZZZZZZZ';
const REQUEST: components['schemas']['RequestRelease'] = {
  basis: 'legal_discovery',
  recipient: { name: 'Pat Counsel', organisation: 'Counsel LLP', email: 'pat@counsel.example' },
  reference: 'Claim HC-2026-000123',
  reason: 'Disclosure order of 1 December 2026',
};

/** One file of a ZIP on disk, as text. */
const readZipEntry = (file: string, name: string): Promise<string> =>
  new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no zip'));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== name) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            zip.close();
            resolve(Buffer.concat(chunks).toString('utf8'));
          });
        });
      });
      zip.on('end', () => reject(new Error(`${name} not in the bundle`)));
      zip.readEntry();
    });
  });

let api: TestApi;
const tok = (sub: string, ...roles: ('supervisor' | 'compliance' | 'legal' | 'handler')[]) => api.token(sub, roles);

const open = async (ownerId = 'olive'): Promise<string> => {
  const res = await settle(api.client(await tok('sam', 'supervisor')).POST('/v1/complaints', { body: validComplaint({ ownerId }) }));
  expect(res.status).toBe(201);
  return res.body.id as string;
};
const request = async (caseId: string, sub = 'cora', role: 'compliance' | 'legal' | 'supervisor' = 'compliance') =>
  settle(api.client(await tok(sub, role)).POST('/v1/complaints/{id}/releases', { params: { path: { id: caseId } }, body: REQUEST }));
const decide = async (caseId: string, releaseId: string, token: string, decision: 'approve' | 'reject' = 'approve', ifMatch?: string) =>
  settle(
    api.client(token).POST('/v1/complaints/{id}/releases/{releaseId}/decision', {
      params: { path: { id: caseId, releaseId }, ...(ifMatch !== undefined ? { header: { 'If-Match': ifMatch } } : {}) },
      body: { decision, comment: 'Order checked against the file' },
    }),
  );
const getCase = (caseId: string, token: string) => settle(api.client(token).GET('/v1/complaints/{id}', { params: { path: { id: caseId } } }));
const getRelease = (caseId: string, releaseId: string, token: string) =>
  settle(api.client(token).GET('/v1/complaints/{id}/releases/{releaseId}', { params: { path: { id: caseId, releaseId } } }));

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

describe('release for legal discovery', () => {
  it('builds nothing until legal and compliance approve; then the bundle for the named recipient carries both approvals in its signed manifest', async () => {
    const caseId = await open();
    const asked = await request(caseId);
    expect(asked.status).toBe(201);
    const releaseId = asked.body.id as string;
    expect(asked.headers.get('location')).toBe(`/v1/complaints/${caseId}/releases/${releaseId}`);
    expect(asked.body).toMatchObject({ status: 'pending', requestedBy: 'cora', approvals: [], recipient: REQUEST.recipient });
    expect(asked.body.exportId).toBeUndefined();

    const lena = await tok('lena', 'legal');
    const first = await decide(caseId, releaseId, lena);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'pending', approvals: [{ role: 'legal', by: 'lena', decision: 'approve' }] });
    expect(first.body.exportId).toBeUndefined();
    // Still nothing built: the case has no export yet.
    expect((await getCase(caseId, lena)).body.activeExportId).toBeUndefined();

    const second = await decide(caseId, releaseId, await tok('cliff', 'compliance'));
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ status: 'approved', exportId: expect.any(String), approvals: [{ role: 'legal', by: 'lena' }, { role: 'compliance', by: 'cliff' }] });
    const exportId = second.body.exportId as string;
    expect((await getRelease(caseId, releaseId, lena)).body.exportId).toBe(exportId);

    await api.pump();
    const job = await settle(api.client(await tok('cliff', 'compliance')).GET('/v1/exports/{exportId}', { params: { path: { exportId } } }));
    expect(job.body).toMatchObject({ status: 'ready', release: { id: releaseId, recipient: REQUEST.recipient } });
    // The bundle comes from S3 on the presigned download URL, not from the API: a plain GET.
    const bytes = Buffer.from(await (await fetch(job.body.downloadUrl as string)).arrayBuffer());
    const dir = mkdtempSync(join(tmpdir(), 'release-'));
    const file = join(dir, 'bundle.zip');
    writeFileSync(file, bytes);
    const manifest = JSON.parse(await readZipEntry(file, 'manifest.json')) as Record<string, unknown>;
    expect(manifest.release).toEqual({
      id: releaseId,
      basis: 'legal_discovery',
      recipient: REQUEST.recipient,
      reference: REQUEST.reference,
      requestedBy: 'cora',
      requestedAt: asked.body.requestedAt,
      approvals: second.body.approvals,
    });
    // The release is under the manifest's signature: the offline verifier accepts the bundle as built.
    try {
      const key = await settle(api.client(lena).GET('/v1/exports/public-key'));
      const report = await verifyBundle(file, { publicKeyPem: key.body.publicKeyPem as string });
      expect(report.failures).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const t = await settle(api.client(lena).GET('/v1/complaints/{id}/timeline', { params: { path: { id: caseId } } }));
    expect(t.body.chain.valid).toBe(true);
    expect((t.body.items as { action: string }[]).map((e) => e.action)).toEqual(expect.arrayContaining(['release.requested', 'release.approved', 'export.requested']));
  });

  it('abuse: the requester cannot approve their own release, nor the owner, nor one person twice, nor a handler', async () => {
    const caseId = await open('olga');
    const asked = await request(caseId, 'lena', 'legal');
    const releaseId = asked.body.id as string;
    // Lena asked: her own approval is refused, whichever of her roles she uses.
    expectProblem(await decide(caseId, releaseId, await api.token('lena', ['legal', 'compliance'])), 403);
    // The owner (who also holds compliance) may not release their own case.
    expectProblem(await decide(caseId, releaseId, await api.token('olga', ['compliance'])), 403);
    expectProblem(await decide(caseId, releaseId, await tok('hal', 'handler')), 403);
    expectProblem(await decide(caseId, releaseId, await tok('sam', 'supervisor')), 403);
    // One person holding both roles decides one stage only.
    const both = await api.token('bo', ['legal', 'compliance']);
    expect((await decide(caseId, releaseId, both)).body.status).toBe('pending');
    expectProblem(await decide(caseId, releaseId, both), 403);
    // A second legal approver has no open stage: compliance is still missing.
    expectProblem(await decide(caseId, releaseId, await tok('lu', 'legal')), 403);
  });

  it('a rejection ends the request; If-Match, guessed ids and property-name text behave', async () => {
    const caseId = await open();
    const asked = await request(caseId);
    const releaseId = asked.body.id as string;
    const lena = await tok('lena', 'legal');
    expectProblem(await decide(caseId, releaseId, lena, 'approve', '"999"'), 412);
    const rejected = await decide(caseId, releaseId, lena, 'reject');
    expect(rejected.body).toMatchObject({ status: 'rejected' });
    const late = await decide(caseId, releaseId, await tok('cliff', 'compliance'));
    expectProblem(late, 409);
    expect(late.body.releaseStatus).toBe('rejected');
    // An unknown query parameter is refused like on every route (uniform pages); the typed client cannot send one.
    expectProblem(await api.raw('GET', `/v1/complaints/${caseId}/releases/${releaseId}?constructor=1`, { token: lena }), 400);
    expect((await getCase(caseId, lena)).body.activeExportId).toBeUndefined();

    expectProblem(await decide(caseId, UNKNOWN_ULID, lena), 404);
    expectProblem(await getRelease(caseId, UNKNOWN_ULID, lena), 404);
    expectProblem(await settle(api.client(lena).POST('/v1/complaints/{id}/releases', { params: { path: { id: UNKNOWN_ULID } }, body: REQUEST })), 404);
    expectProblem(await getRelease(caseId, 'constructor', lena), 400);
    const odd = await settle(
      api.client(lena).POST('/v1/complaints/{id}/releases', {
        params: { path: { id: caseId } },
        body: { ...REQUEST, reference: '__proto__', reason: 'constructor', recipient: { ...REQUEST.recipient, name: 'toString' } },
      }),
    );
    expect(odd.status).toBe(201);
    expect(odd.body).toMatchObject({ reference: '__proto__', reason: 'constructor', recipient: { name: 'toString' } });
    // A basis outside the enum: the typed client cannot send it.
    expectProblem(await api.raw('POST', `/v1/complaints/${caseId}/releases`, { token: lena, body: { ...REQUEST, basis: 'curiosity' } }), 400);
  });
});
