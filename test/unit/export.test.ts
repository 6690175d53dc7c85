// The export job's life, pure: request (the case remembers its one live export), claim by the builder (once; a dead
// builder's job can be reclaimed after the stale limit), completion and failure (the case is free again), the audited
// download, and the manifest built from what was written.
import { BUNDLE_FORMAT, Manifest } from '#schemas/export';
import { EXPORT_STALE_AFTER_MS, buildManifest, bundleFileName, completeExport, exportKey, failExport, recordExportDownload, requestExport, startExport } from '#domain/export';
import { CASE_ID, NOW, at, openedCase } from './fixtures';

const EXPORT_ID = '01JEXPRT000000000000000000';
const requested = () => requestExport(openedCase(), { exportId: EXPORT_ID, actor: 'cora', now: NOW, key: exportKey(CASE_ID, EXPORT_ID), retentionDays: 2557 });

describe('requestExport', () => {
  it('starts a pending job with its retention, marks the case and audits the request', () => {
    const change = requested();
    expect(change.result).toMatchObject({ exportId: EXPORT_ID, caseId: CASE_ID, status: 'pending', requestedBy: 'cora', key: `cases/${CASE_ID}/exports/${EXPORT_ID}.zip`, legalHold: false });
    expect(Date.parse(change.result.retainUntil!) - Date.parse(NOW)).toBe(2557 * 86_400_000);
    expect(change.case.activeExportId).toBe(EXPORT_ID);
    expect(change.drafts).toEqual([{ actor: 'cora', action: 'export.requested', data: { exportId: EXPORT_ID, retainUntil: change.result.retainUntil, legalHold: false } }]);
  });

  it('carries the case’s legal hold into the job', () => {
    const held = requestExport(openedCase({ legalHold: true }), { exportId: EXPORT_ID, actor: 'lee', now: NOW, key: 'k', retentionDays: 1 });
    expect(held.result.legalHold).toBe(true);
  });
});

describe('startExport', () => {
  it('claims a pending job once: a second delivery finds it running and does nothing', () => {
    const { case: c, result: job } = requested();
    const claimed = startExport(c, job, at(NOW, 1000));
    expect(claimed?.result).toMatchObject({ status: 'running', startedAt: at(NOW, 1000) });
    expect(claimed?.drafts[0]).toMatchObject({ action: 'export.started', data: { exportId: EXPORT_ID, restarted: false } });
    expect(startExport(c, claimed!.result, at(NOW, 2000))).toBeUndefined();
  });

  it('reclaims a running job whose builder has been silent past the stale limit, and never an ended one', () => {
    const { case: c, result: job } = requested();
    const running = startExport(c, job, NOW)!.result;
    expect(startExport(c, running, at(NOW, EXPORT_STALE_AFTER_MS))).toBeUndefined();
    expect(startExport(c, running, at(NOW, EXPORT_STALE_AFTER_MS + 1))?.drafts[0]?.data).toMatchObject({ restarted: true });
    expect(startExport(c, { ...running, status: 'ready' }, at(NOW, 10 * EXPORT_STALE_AFTER_MS))).toBeUndefined();
    expect(startExport(c, { ...running, status: 'failed' }, at(NOW, 10 * EXPORT_STALE_AFTER_MS))).toBeUndefined();
  });
});

describe('completeExport and failExport', () => {
  const built = { versionId: 'v1', sizeBytes: 1234, sha256: 'a'.repeat(64), manifestSha256: 'b'.repeat(64), files: 11, legalHold: false };

  it('completes with the bundle’s hash, size and version, frees the case, audits the facts', () => {
    const { case: c, result: job } = requested();
    const done = completeExport(c, job, built, at(NOW, 5000));
    expect(done.result).toMatchObject({ status: 'ready', finishedAt: at(NOW, 5000), sha256: built.sha256, sizeBytes: 1234, files: 11, versionId: 'v1' });
    expect(done.case.activeExportId).toBeUndefined();
    expect(done.drafts[0]).toMatchObject({ action: 'export.completed', data: { exportId: EXPORT_ID, sha256: built.sha256, manifestSha256: built.manifestSha256, files: 11 } });
  });

  it('records a failure with its reason and frees the case', () => {
    const { case: c, result: job } = requested();
    const failed = failExport(c, job, 'evidence/x/y.pdf: stored bytes differ', NOW);
    expect(failed.result).toMatchObject({ status: 'failed', error: 'evidence/x/y.pdf: stored bytes differ' });
    expect(failed.case.activeExportId).toBeUndefined();
    expect(failed.drafts[0]).toMatchObject({ action: 'export.failed' });
  });

  it('leaves another export’s mark on the case alone', () => {
    const { case: c, result: job } = requested();
    const other = { ...c, activeExportId: '01JEXPRT000000000000000001' };
    expect(completeExport(other, job, built, NOW).case.activeExportId).toBe('01JEXPRT000000000000000001');
    expect(failExport(other, job, 'x', NOW).case.activeExportId).toBe('01JEXPRT000000000000000001');
  });
});

describe('the download and the manifest', () => {
  it('audits every link issued: who, which bundle version, until when', () => {
    const { case: c, result: job } = requested();
    const ready = { ...job, status: 'ready' as const, sha256: 'c'.repeat(64), versionId: 'v9' };
    expect(recordExportDownload(c, ready, 'lee', at(NOW, 300_000)).drafts).toEqual([
      { actor: 'lee', action: 'export.download_issued', data: { exportId: EXPORT_ID, sha256: 'c'.repeat(64), versionId: 'v9', expiresAt: at(NOW, 300_000) } },
    ]);
    expect(bundleFileName(c, EXPORT_ID)).toBe(`CMP-2026-000001-${EXPORT_ID}.zip`);
  });

  it('builds a manifest that parses with the bundle schema the verifier reads', () => {
    const { case: c, result: job } = requested();
    const manifest = buildManifest({
      job,
      c,
      head: { seq: 3, hash: 'd'.repeat(64) },
      chainValid: true,
      files: [{ path: 'case.json', sizeBytes: 10, sha256: 'e'.repeat(64) }],
      evidence: [],
      exportedAt: at(NOW, 1000),
      keyId: 'local:0123456789abcdef',
      legalHold: false,
    });
    expect(Manifest.parse(manifest)).toMatchObject({ format: BUNDLE_FORMAT, exportedBy: 'cora', auditChain: { seq: 3, head: 'd'.repeat(64), valid: true }, signing: { algorithm: 'ECDSA_SHA_256' } });
  });
});
