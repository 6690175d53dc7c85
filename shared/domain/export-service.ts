// Compliance export use cases: request (one at a time per case), build (from the stream, asynchronously), the
// audited download, and the published verification key.
import type { Case } from '#schemas/complaint';
import { BUNDLE_PATHS, SIGNING_ALGORITHM, SIGNING_CURVE, BUNDLE_FORMAT, evidencePath, isRunningExport, type ExportJob, type ExportView, type Manifest, type ManifestSignature, type PublicKeyView } from '#schemas/export';
import type { ExportStorage } from '#ports/export-storage';
import type { ManifestSigner } from '#ports/manifest-signer';
import type { BundleEntry, BundleWriter, SummaryRenderer } from '#ports/bundle-writer';
import type { IdGenerator } from '#ports/ids';
import type { CaseChild } from '#ports/case-repository';
import { assertVisible, canView } from './access';
import { verifyChain, type ChainHead } from './audit-chain';
import type { BundleAnchor } from '#schemas/audit-digest';
import { mutateCase, systemMutate, type MutationDeps } from './case-mutation';
import { ConflictError, NotFoundError } from './errors';
import { decideRelease, findRelease, releasedAs, requestRelease } from './release';
import type { Release, ReleaseDecisionBody, RequestReleaseBody } from '#schemas/release';
import {
  EXPORT_DOWNLOAD_TTL_MS,
  buildManifest,
  bundleFileName,
  completeExport,
  exportKey,
  failExport,
  isAbandoned,
  reconcileBundleHold,
  recordExportDownload,
  requestExport,
  startExport,
  type BuiltBundle,
} from './export';
import type { Principal } from './principal';

export interface ExportServiceDeps extends MutationDeps {
  ids: IdGenerator;
  storage: ExportStorage;
  signer: ManifestSigner;
  /** What writes bundles: only the export builder has it (the ZIP and PDF code stays out of the route functions). */
  bundles?: { writer: BundleWriter; summary: SummaryRenderer };
  /** Compliance-mode retention of a bundle, in days from its export. */
  retentionDays: number;
  /** The audit digest: the builder anchors the exported head in a digest written at the export, and bundles the proof. */
  anchoring?: { anchorForExport(caseId: string, head: ChainHead): Promise<BundleAnchor> };
}

/** What GET /v1/exports/public-key publishes: the key that verifies manifests, and how. */
export const publishedKey = async (signer: ManifestSigner): Promise<PublicKeyView> => ({
  keyId: await signer.keyId(),
  algorithm: SIGNING_ALGORITHM,
  curve: SIGNING_CURVE,
  publicKeyPem: await signer.publicKeyPem(),
  format: BUNDLE_FORMAT,
});

export type BuildOutcome = 'built' | 'failed' | 'skipped';

const exportChild = (job: ExportJob, created?: true): CaseChild[] => [{ kind: 'export', export: job, ...(created ? { created } : {}) }];
const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
/** Workflow task tokens are plumbing, not part of the record. */
const withoutToken = <T extends object>(item: T): Omit<T, 'taskToken'> => {
  const { taskToken: _t, ...rest } = item as T & { taskToken?: string };
  return rest;
};
const view = (job: ExportJob): ExportView => {
  const { key: _k, ...rest } = job;
  return rest;
};

/** What a failed build records: our own reasons as they are; anything else (an SDK error may name ARNs) generically. */
const failureReason = (err: unknown): string => {
  if (err instanceof Error && (err.name === 'EvidenceMismatchError' || err.name === 'ExportTimeoutError' || err.message.startsWith('reading evidence/'))) return err.message.slice(0, 500);
  return `the bundle could not be written (${err instanceof Error ? err.name : 'error'}); see the export builder's log`;
};

/** Thrown inside a request's attempt when the case already has a live export: the caller gets that one back. */
class ExportRunning extends Error {
  constructor(
    readonly exportId: string,
    readonly caseVersion: number,
  ) {
    super(`export ${exportId} is running`);
  }
}

export class ExportService {
  constructor(private readonly deps: ExportServiceDeps) {}

  private async visibleCase(p: Principal, caseId: string): Promise<Case> {
    const rec = await this.deps.repo.get(caseId);
    if (!rec) throw new NotFoundError(`complaint ${caseId} not found`);
    assertVisible(p, rec.case);
    return rec.case;
  }

  private async liveJob(c: Case, now: string): Promise<ExportJob | undefined> {
    if (!c.activeExportId) return undefined;
    const job = await this.deps.repo.getExport(c.id, c.activeExportId);
    if (!job || !isRunningExport(job.status)) return undefined;
    // A launch that never reached the builder, or a builder that crashed, leaves its job live: it is replaced.
    return isAbandoned(job, now) ? undefined : job;
  }

  /** Starts an export of the case, or returns the one already running (`created: false`). */
  async request(p: Principal, caseId: string, ifMatch?: number): Promise<{ job: ExportView; created: boolean; version: number }> {
    // The mutation reads the case and checks it is visible (404 otherwise): no read of its own first.
    try {
      const exportId = this.deps.ids.next();
      type Requested = { job: ExportJob; failed?: ExportJob };
      const out = await mutateCase<Requested>(
        this.deps,
        p,
        caseId,
        ifMatch,
        'visible',
        async (c, now) => {
          const live = await this.liveJob(c, now);
          if (live) throw new ExportRunning(live.exportId, c.version);
          const stale = c.activeExportId ? await this.deps.repo.getExport(c.id, c.activeExportId) : undefined;
          const change = requestExport(c, { exportId, actor: p.sub, now, key: exportKey(c.id, exportId), retentionDays: this.deps.retentionDays });
          if (!stale || !isRunningExport(stale.status)) return { ...change, result: { job: change.result } };
          // The dead build is recorded as failed in the same transaction as its replacement.
          const failed = failExport(c, stale, stale.status === 'pending' ? 'the builder never started it; replaced by a new export' : 'the builder stopped before finishing; replaced by a new export', now);
          return { case: change.case, drafts: [...failed.drafts, ...change.drafts], result: { job: change.result, failed: failed.result }, bookkeeping: true };
        },
        (r) => [...exportChild(r.job, true), ...(r.failed ? exportChild(r.failed) : [])],
      );
      return { job: view(out.result.job), created: true, version: out.case.version };
    } catch (err) {
      if (!(err instanceof ExportRunning)) throw err;
      const job = await this.deps.repo.getExport(caseId, err.exportId);
      if (!job) throw err;
      return { job: view(job), created: false, version: err.caseVersion };
    }
  }

  /** Asks to release the case to a named recipient outside the organisation; nothing leaves until legal and compliance approve. */
  async requestRelease(p: Principal, caseId: string, body: RequestReleaseBody, ifMatch?: number): Promise<{ release: Release; version: number }> {
    const releaseId = this.deps.ids.next();
    const out = await mutateCase(this.deps, p, caseId, ifMatch, 'visible', (c, now) => requestRelease(p, c, body, { releaseId }, now));
    return { release: out.result, version: out.case.version };
  }

  /** A release of a case the caller may see. */
  async release(p: Principal, caseId: string, releaseId: string): Promise<Release> {
    return findRelease(await this.visibleCase(p, caseId), releaseId);
  }

  /**
   * A legal or compliance decision on a release. The second approval starts the recipient's bundle in the same
   * transaction (the stream launches the builder as for any export), with the release and both approvals on the job
   * and so in the signed manifest. 409 while another export of the case is running: decide again when it has finished.
   */
  async decideRelease(p: Principal, caseId: string, releaseId: string, body: ReleaseDecisionBody, ifMatch?: number): Promise<{ release: Release; version: number }> {
    const exportId = this.deps.ids.next();
    const out = await mutateCase<{ release: Release; job?: ExportJob }>(
      this.deps,
      p,
      caseId,
      ifMatch,
      'visible',
      async (c, now) => {
        const decided = decideRelease(p, c, releaseId, body, now);
        if (!decided.result.approved) return { ...decided, result: { release: decided.result.release } };
        if (await this.liveJob(decided.case, now)) throw new ConflictError('another export of this case is running; decide again when it has finished', { activeExportId: c.activeExportId });
        const exported = requestExport(decided.case, { exportId, actor: p.sub, now, key: exportKey(c.id, exportId), retentionDays: this.deps.retentionDays });
        const job: ExportJob = { ...exported.result, release: decided.result.approved };
        return {
          case: releasedAs(exported.case, releaseId, job),
          drafts: [...decided.drafts, { ...exported.drafts[0]!, data: { ...exported.drafts[0]!.data, releaseId } }],
          result: { release: { ...decided.result.release, exportId }, job },
        };
      },
      (r) => (r.job ? exportChild(r.job, true) : []),
    );
    return { release: out.result.release, version: out.case.version };
  }

  /** The job; once ready, a 5-minute link to the locked bundle, whose issue is an audit event. */
  async get(p: Principal, exportId: string): Promise<ExportView> {
    const caseId = await this.deps.repo.findExportCase(exportId);
    if (!caseId) throw new NotFoundError(`export ${exportId} not found`);
    const c = await this.visibleCase(p, caseId).catch((err: unknown) => {
      // An export of a case the caller may not see does not exist for them either.
      if (err instanceof NotFoundError) throw new NotFoundError(`export ${exportId} not found`);
      throw err;
    });
    const job = await this.deps.repo.getExport(c.id, exportId);
    if (!job) throw new NotFoundError(`export ${exportId} not found`);
    if (isRunningExport(job.status) && isAbandoned(job, this.deps.clock.now())) return { ...view(job), status: 'failed', error: 'the export was abandoned (its builder never finished); request a new one' };
    if (job.status !== 'ready') return view(job);
    const link = await this.deps.storage.presignBundle({ key: job.key, ...(job.versionId ? { versionId: job.versionId } : {}), fileName: bundleFileName(c, exportId), expiresInSeconds: EXPORT_DOWNLOAD_TTL_MS / 1000 });
    const expiresAt = new Date(Date.parse(this.deps.clock.now()) + EXPORT_DOWNLOAD_TTL_MS).toISOString();
    await mutateCase(this.deps, p, c.id, undefined, 'visible', (cur) => recordExportDownload(cur, job, p.sub, expiresAt));
    return { ...view(job), downloadUrl: link.url, downloadExpiresAt: expiresAt };
  }

  /**
   * Builds a requested export: claims the job (a redelivered request finds it claimed and does nothing), streams
   * the bundle into the exports bucket, and records the outcome. A failure is recorded on the job, never retried
   * silently: the requester sees `failed` with the reason and may ask again.
   */
  async build(caseId: string, exportId: string, opts: { budgetMs?: number } = {}): Promise<BuildOutcome> {
    const claim = await systemMutate(
      this.deps,
      caseId,
      async (c, now) => {
        const job = await this.deps.repo.getExport(caseId, exportId);
        if (!job) return undefined;
        // A finished bundle whose hold differs from the case's (a hold placed while it was written) is brought in line.
        if (job.status === 'ready') return this.holdInLine(c, job);
        return startExport(c, job, now);
      },
      (job) => exportChild(job),
    );
    if (claim.kind !== 'committed' || claim.result.status === 'ready') return 'skipped';
    const job = claim.result;
    /** Completion and failure apply only while the job is still this claim's (a replaced job stays replaced). */
    const ours = async (c: Case, change: (j: ExportJob) => ReturnType<typeof failExport>) => {
      const current = await this.deps.repo.getExport(caseId, exportId);
      return current?.status === 'running' && current.startedAt === job.startedAt ? change(current) : undefined;
    };
    let built: BuiltBundle;
    try {
      built = await this.write(job, opts.budgetMs);
    } catch (err) {
      await systemMutate(this.deps, caseId, (c, now) => ours(c, (j) => failExport(c, j, failureReason(err), now)), (j) => exportChild(j));
      return 'failed';
    }
    const done = await systemMutate(this.deps, caseId, (c, now) => ours(c, (j) => completeExport(c, j, built, now)), (j) => exportChild(j));
    if (done.kind !== 'committed') return 'skipped';
    // A legal hold placed or released while the bundle was being written reaches it now (a failure here fails the
    // invocation, whose retry finds the job ready and brings the hold in line again).
    if (done.case.legalHold !== built.legalHold) {
      await systemMutate(
        this.deps,
        caseId,
        async (c) => {
          const current = await this.deps.repo.getExport(caseId, exportId);
          return current ? this.holdInLine(c, current) : undefined;
        },
        (j) => exportChild(j),
      );
    }
    return 'built';
  }

  /** Sets the bundle's hold to the case's in storage first, then records it (so a record never claims a hold storage lacks). */
  private async holdInLine(c: Case, job: ExportJob) {
    const change = reconcileBundleHold(c, job);
    if (change) await this.deps.storage.setBundleLegalHold(job.key, job.versionId, c.legalHold);
    return change;
  }

  private async write(job: ExportJob, budgetMs?: number): Promise<BuiltBundle> {
    const { repo, signer, storage, bundles } = this.deps;
    if (!bundles) throw new Error('this function has no bundle writer: exports are built by the export builder');
    const { writer, summary } = bundles;
    const rec = await repo.get(job.caseId);
    if (!rec) throw new Error(`complaint ${job.caseId} disappeared`);
    const c = rec.case;
    const [events, notes, tasks, escalations, approvals, resolutions, evidence] = await Promise.all([
      repo.auditEvents(c.id),
      repo.listNotes(c.id),
      repo.listTasks(c.id),
      repo.listEscalations(c.id),
      repo.listApprovals(c.id),
      repo.listResolutions(c.id),
      repo.listEvidence(c.id),
    ]);
    // Events committed after the case was read belong to a later head: the bundle holds the chain up to the head it records.
    const ordered = events.filter((e) => e.seq <= rec.head.seq).sort((a, b) => a.seq - b.seq);
    const chain = verifyChain(ordered, rec.head);
    // Every export runs the digest: the bundle proves its head against a signed digest outside the table.
    const anchor = this.deps.anchoring ? await this.deps.anchoring.anchorForExport(c.id, rec.head) : undefined;
    const verified = evidence.filter((e) => e.status === 'verified');
    const cleanEscalations = escalations.map(withoutToken);
    const cleanApprovals = approvals.map(withoutToken);
    const exportedAt = this.deps.clock.now();
    const pdf = await summary.render({ case: c, events: ordered, chainValid: chain.valid, resolutions, approvals: cleanApprovals, escalations: cleanEscalations, evidence, exportId: job.exportId, exportedAt, exportedBy: job.requestedBy });
    const evidenceEntries = verified.map((e) => ({
      path: evidencePath(e.id, e.fileName),
      open: () => storage.openEvidence(e.key, e.versionId),
      expected: { sha256: e.sha256, sizeBytes: e.sizeBytes },
      evidence: e,
    }));
    const entries: BundleEntry[] = [
      { path: BUNDLE_PATHS.case, bytes: json(c) },
      { path: BUNDLE_PATHS.timeline, bytes: json({ caseId: c.id, events: ordered, chain }) },
      { path: BUNDLE_PATHS.notes, bytes: json({ items: notes }) },
      { path: BUNDLE_PATHS.tasks, bytes: json({ items: tasks }) },
      { path: BUNDLE_PATHS.escalations, bytes: json({ items: cleanEscalations }) },
      { path: BUNDLE_PATHS.approvals, bytes: json({ items: cleanApprovals }) },
      { path: BUNDLE_PATHS.resolutions, bytes: json({ items: resolutions }) },
      { path: BUNDLE_PATHS.evidenceLog, bytes: json({ items: evidence }) },
      ...(anchor ? [{ path: BUNDLE_PATHS.auditAnchor, bytes: json(anchor) }] : []),
      ...evidenceEntries.map(({ path, open, expected }) => ({ path, open, expected })),
      { path: BUNDLE_PATHS.summary, bytes: pdf },
    ];
    const [keyId, publicKeyPem] = await Promise.all([signer.keyId(), signer.publicKeyPem()]);
    let manifestSha256 = '';
    const legalHold = c.legalHold;
    const written = await writer.write({
      ...(budgetMs !== undefined ? { signal: AbortSignal.timeout(budgetMs) } : {}),
      entries,
      trailer: async (files) => {
        const manifest: Manifest = buildManifest({
          job,
          c,
          head: rec.head,
          chainValid: chain.valid,
          files,
          evidence: evidenceEntries.map(({ path, evidence: e }) => ({ evidenceId: e.id, path, sha256: e.sha256, sizeBytes: e.sizeBytes, versionId: e.versionId ?? null })),
          exportedAt,
          keyId,
          legalHold,
          ...(anchor ? { anchor: { digestId: anchor.digest.body.digestId, digestNumber: anchor.digest.body.number, seq: anchor.leaf.seq, hash: anchor.leaf.hash } } : {}),
        });
        const manifestBytes = json(manifest);
        const signature: ManifestSignature = { algorithm: SIGNING_ALGORITHM, keyId, signedFile: BUNDLE_PATHS.manifest, signature: (await signer.sign(manifestBytes)).toString('base64') };
        return [
          { path: BUNDLE_PATHS.manifest, bytes: manifestBytes },
          { path: BUNDLE_PATHS.signature, bytes: json(signature) },
          { path: BUNDLE_PATHS.publicKey, bytes: Buffer.from(publicKeyPem, 'utf8') },
        ];
      },
      sink: (zip) => storage.putBundle({ key: job.key, body: zip, retainUntil: job.retainUntil ?? exportedAt, legalHold }),
    });
    manifestSha256 = written.trailer.find((f) => f.path === BUNDLE_PATHS.manifest)?.sha256 ?? '';
    return {
      ...(written.stored.versionId ? { versionId: written.stored.versionId } : {}),
      sizeBytes: written.zipBytes,
      sha256: written.zipSha256,
      manifestSha256,
      files: written.files.length,
      legalHold,
    };
  }

  /** A person's cases (the customer index), newest first: what a data-subject request is answered from. */
  async subjectAccess(p: Principal, customerId: string, q: { limit: number; cursor?: string | undefined }): Promise<{ items: Case[]; nextCursor?: string }> {
    const page = await this.deps.repo.listByCustomer(customerId, q.limit, q.cursor);
    return { ...page, items: page.items.filter((c) => canView(p, c)) };
  }
}
