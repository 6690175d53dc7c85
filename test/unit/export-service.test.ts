// ExportService over in-memory ports (the FakeRepo contract, an in-memory bundle store, the real ZIP writer and a
// local P-256 signer): the races a build can meet. A legal hold placed while the bundle is written reaches it; events
// committed after the builder read the case stay out of the bundle (its chain still verifies); a build that runs out
// of time, or fails with an infrastructure error, is recorded as failed with a reason that names no internals; a
// request whose builder never started is replaced after the stale limit; a second build of one job does nothing.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { EMPTY_HEAD, appendEvents } from '#domain/audit-chain';
import { EXPORT_PENDING_STALE_MS } from '#domain/export';
import { ExportService } from '#domain/export-service';
import { ZipBundleWriter } from '#adapters/export/zip-bundle-writer';
import { LocalManifestSigner } from '#adapters/local/local-manifest-signer';
import type { ExportStorage } from '#ports/export-storage';
import { verifyBundle } from '../../tools/complaint-verify/verify';
import { FakeRepo } from './fake-repo';
import { CASE_ID, NOW, at, openedCase, principal } from './fixtures';

const cora = principal('cora', 'compliance');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'export-service-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Bundles in memory: what was stored under which key, and each key's legal hold. */
class MemoryBundles implements ExportStorage {
  readonly stored = new Map<string, Buffer>();
  readonly holds = new Map<string, boolean>();
  /** Runs while the bundle streams in (a test's concurrent activity). */
  during: (() => Promise<void>) | undefined;
  failWith: Error | undefined;
  openEvidence: (key: string) => Promise<Readable> = async () => Readable.from([]);
  async putBundle(o: { key: string; body: Readable; legalHold: boolean }) {
    const chunks: Buffer[] = [];
    const reading = (async () => {
      for await (const c of o.body) chunks.push(c as Buffer);
    })();
    await this.during?.();
    if (this.failWith) {
      o.body.destroy();
      await reading.catch(() => undefined);
      throw this.failWith;
    }
    await reading;
    this.stored.set(o.key, Buffer.concat(chunks));
    this.holds.set(o.key, o.legalHold);
    return { versionId: 'v1' };
  }
  async presignBundle(o: { key: string }) {
    return { url: `memory://${o.key}` };
  }
  async setBundleLegalHold(key: string, _v: string | undefined, on: boolean) {
    this.holds.set(key, on);
  }
}

const setup = async () => {
  const repo = new FakeRepo();
  const storage = new MemoryBundles();
  let now = NOW;
  let n = 0;
  const deps = {
    repo,
    clock: { now: () => now },
    ids: { next: () => `01K${String(++n).padStart(23, '0')}` },
    storage,
    signer: new LocalManifestSigner(join(dir, `key-${Math.random()}.pem`)),
    retentionDays: 2557,
  };
  const svc = new ExportService({ ...deps, bundles: { writer: new ZipBundleWriter(), summary: { render: async () => Buffer.from('%PDF-1.7\n%%EOF\n') } } });
  await repo.create({ case: openedCase({ ownerId: 'alice' }), head: EMPTY_HEAD, events: [] });
  return { repo, storage, svc, advance: (ms: number) => (now = at(now, ms)) };
};

/** A commit by someone else (a note, a hold): the case version and its chain move on. */
const commitBySomeoneElse = async (repo: FakeRepo, change: (c: ReturnType<typeof openedCase>) => ReturnType<typeof openedCase>) => {
  const rec = (await repo.get(CASE_ID))!;
  const { events, head } = appendEvents(rec.head, [{ actor: 'lee', action: 'legal_hold.applied', data: {} }], NOW);
  await repo.commit({ case: { ...change(rec.case), version: rec.case.version + 1 }, expectedVersion: rec.case.version, head, events });
};

describe('ExportService.build', () => {
  it('builds once: a second launch of the same job does nothing', async () => {
    const { svc } = await setup();
    const { job } = await svc.request(cora, CASE_ID);
    await expect(svc.build(CASE_ID, job.exportId)).resolves.toBe('built');
    await expect(svc.build(CASE_ID, job.exportId)).resolves.toBe('skipped');
  });

  it('a legal hold placed while the bundle streams in reaches the bundle, and is recorded on the job and audited', async () => {
    const { svc, repo, storage } = await setup();
    const { job } = await svc.request(cora, CASE_ID);
    storage.during = () => commitBySomeoneElse(repo, (c) => ({ ...c, legalHold: true }));
    await expect(svc.build(CASE_ID, job.exportId)).resolves.toBe('built');
    const key = `cases/${CASE_ID}/exports/${job.exportId}.zip`;
    expect(storage.holds.get(key)).toBe(true);
    expect((await repo.getExport(CASE_ID, job.exportId))?.legalHold).toBe(true);
    expect((await repo.auditEvents(CASE_ID)).map((e) => e.action)).toContain('export.legal_hold_applied');
  });

  it('keeps events committed after it read the case out of the bundle: the chain it records still verifies', async () => {
    const { svc, repo, storage } = await setup();
    const { job } = await svc.request(cora, CASE_ID);
    // The builder reads the case, then its events: a commit lands in between.
    const auditEvents = repo.auditEvents.bind(repo);
    let once = false;
    repo.auditEvents = async (id: string) => {
      if (!once) {
        once = true;
        await commitBySomeoneElse(repo, (c) => c);
      }
      return auditEvents(id);
    };
    await expect(svc.build(CASE_ID, job.exportId)).resolves.toBe('built');
    const file = join(dir, `${job.exportId}.zip`);
    writeFileSync(file, storage.stored.get(`cases/${CASE_ID}/exports/${job.exportId}.zip`)!);
    const report = await verifyBundle(file, {});
    expect(report.failures).toEqual([]);
    expect(report.info.auditEvents).toBe(2); // export.requested, export.started: the later commit is not in it
  });

  it('a build that runs out of time is abandoned (nothing stored) and recorded as failed with the reason', async () => {
    const { svc, repo, storage } = await setup();
    const { job } = await svc.request(cora, CASE_ID);
    // One verified evidence file whose bytes arrive slowly (a chunk every 50 ms).
    const bytes = Buffer.alloc(10 * 1024, 1);
    repo.evidence.set('01K00000000000000000000EV1', {
      id: '01K00000000000000000000EV1', caseId: CASE_ID, fileName: 'call.wav', contentType: 'audio/wav', sizeBytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'), status: 'verified', key: `cases/${CASE_ID}/evidence/01K00000000000000000000EV1`,
      registeredBy: 'alice', registeredAt: NOW, uploadExpiresAt: NOW, legalHold: false,
    } as never);
    storage.openEvidence = async () =>
      Readable.from(
        (async function* () {
          for (let i = 0; i < 10; i++) {
            await new Promise((r) => setTimeout(r, 50));
            yield bytes.subarray(i * 1024, (i + 1) * 1024);
          }
        })(),
      );
    await expect(svc.build(CASE_ID, job.exportId, { budgetMs: 120 })).resolves.toBe('failed');
    expect(await repo.getExport(CASE_ID, job.exportId)).toMatchObject({ status: 'failed', error: expect.stringMatching(/time limit/) });
    expect(storage.stored.size).toBe(0);
    expect((await repo.get(CASE_ID))?.case.activeExportId).toBeUndefined();
  });

  it('an infrastructure error is recorded without its internals (ARNs, account ids)', async () => {
    const { svc, repo, storage } = await setup();
    const { job } = await svc.request(cora, CASE_ID);
    storage.failWith = Object.assign(new Error('User: arn:aws:sts::123456789012:assumed-role/x is not authorized'), { name: 'AccessDenied' });
    await expect(svc.build(CASE_ID, job.exportId)).resolves.toBe('failed');
    const failed = await repo.getExport(CASE_ID, job.exportId);
    expect(failed?.error).toBe("the bundle could not be written (AccessDenied); see the export builder's log");
  });
});

describe('ExportService.request', () => {
  it('returns the live export; a pending one nobody started is replaced after the stale limit and reported failed', async () => {
    const { svc, repo, advance } = await setup();
    const first = await svc.request(cora, CASE_ID);
    expect((await svc.request(cora, CASE_ID)).job.exportId).toBe(first.job.exportId);
    advance(EXPORT_PENDING_STALE_MS + 1);
    expect((await svc.get(cora, first.job.exportId)).status).toBe('failed');
    const second = await svc.request(cora, CASE_ID);
    expect(second.created).toBe(true);
    expect(second.job.exportId).not.toBe(first.job.exportId);
    expect(await repo.getExport(CASE_ID, first.job.exportId)).toMatchObject({ status: 'failed', error: expect.stringMatching(/never started/) });
  });
});
