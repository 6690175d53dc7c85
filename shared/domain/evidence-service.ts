// Evidence use cases: register (and sign the direct upload), verify an upload, list, audited download, legal hold.
import type { Case } from '#schemas/complaint';
import { createHash } from 'node:crypto';
import { RegisterEvidenceBody, type Evidence } from '#schemas/evidence';
import type { EvidenceVault, EvidenceWriter, PresignedUpload } from '#ports/evidence-vault';
import type { ExportStorage } from '#ports/export-storage';
import type { CaseChild } from '#ports/case-repository';
import type { ExportJob } from '#schemas/export';
import type { IdGenerator } from '#ports/ids';
import { assertVisible } from './access';
import { mutateCase, systemMutate, type MutationDeps } from './case-mutation';
import { NotFoundError } from './errors';
import { assertLegalHoldChange, DOWNLOAD_TTL_MS, parseEvidenceKey, recordDownload, registerEvidence, setLegalHold, verifyUpload, type EvidencePolicy, type UploadedObject } from './evidence';
import type { Principal } from './principal';
import { asPage, type Page, type PageRequest } from './pages';

export interface EvidenceServiceDeps extends MutationDeps {
  ids: IdGenerator;
  vault: EvidenceVault;
  policy: EvidencePolicy;
  /** The exports bucket: a legal hold reaches the case's export bundles too. */
  bundles?: Pick<ExportStorage, 'setBundleLegalHold'>;
}

/** An object-created notification, as S3 sends it to EventBridge (only what verification needs). */
export interface ObjectCreated {
  key: string;
  sizeBytes: number;
  versionId?: string;
  /** Unique per PUT of a key; identifies the upload when the bucket has no versioning (local stand-in). */
  sequencer?: string;
  time: string;
}

export type VerificationOutcome =
  | { outcome: 'verified' | 'rejected' | 'refused'; caseId: string; evidenceId: string | null; reason?: string }
  | { outcome: 'ignored'; reason: 'not_evidence' | 'unknown_case' | 'object_missing' | 'duplicate'; key: string };

export class EvidenceService {
  constructor(private readonly deps: EvidenceServiceDeps) {}

  private async visibleCase(p: Principal, caseId: string): Promise<Case> {
    const rec = await this.deps.repo.get(caseId);
    if (!rec) throw new NotFoundError(`complaint ${caseId} not found`);
    assertVisible(p, rec.case);
    return rec.case;
  }

  async register(p: Principal, caseId: string, body: RegisterEvidenceBody, ifMatch?: number): Promise<{ case: Case; evidence: Evidence; upload: PresignedUpload & { method: 'PUT' } }> {
    const evidenceId = this.deps.ids.next();
    const out = await mutateCase(
      this.deps,
      p,
      caseId,
      ifMatch,
      'owner_supervisor_compliance_legal',
      (c, now) => registerEvidence(c, body, this.deps.policy, { evidenceId }, p.sub, now),
      (evidence) => [{ kind: 'evidence', evidence }],
    );
    const e = out.result;
    const signed = await this.deps.vault.presignUpload({ key: e.key, contentType: e.contentType, sizeBytes: e.sizeBytes, sha256: e.sha256, expiresInSeconds: this.deps.policy.uploadTtlMs / 1000 });
    return { case: out.case, evidence: e, upload: { ...signed, method: 'PUT', expiresAt: e.uploadExpiresAt } };
  }

  /**
   * Evidence the service received itself (an email or ticket attachment): registered by `actor` in the case
   * transaction under the same policy as any registration, then written by the service to the vault; the verifier
   * settles it as it does any upload. A file the policy refuses is refused before anything is written.
   */
  async storeReceived(writer: EvidenceWriter, caseId: string, file: { fileName: string; contentType: string; bytes: Uint8Array }, actor: string): Promise<Evidence> {
    const body = RegisterEvidenceBody.parse({ fileName: file.fileName, contentType: file.contentType, sizeBytes: file.bytes.byteLength, sha256: createHash('sha256').update(file.bytes).digest('hex') });
    const evidenceId = this.deps.ids.next();
    const out = await systemMutate(
      this.deps,
      caseId,
      (c, now) => registerEvidence(c, body, this.deps.policy, { evidenceId }, actor, now),
      (evidence) => [{ kind: 'evidence', evidence }],
    );
    if (out.kind !== 'committed') throw new NotFoundError(`complaint ${caseId} not found`);
    await writer.store({ key: out.result.key, contentType: body.contentType, body: file.bytes, sha256: body.sha256 });
    return out.result;
  }

  async list(p: Principal, caseId: string, q: PageRequest): Promise<Page<Evidence>> {
    await this.visibleCase(p, caseId);
    return asPage(await this.deps.repo.pageEvidence(caseId, q.limit, q.cursor));
  }

  /** One item; once verified it carries a 5-minute download link to the verified version, and issuing it is audited. */
  async get(p: Principal, caseId: string, evidenceId: string): Promise<Evidence & { downloadUrl?: string; downloadExpiresAt?: string }> {
    await this.visibleCase(p, caseId);
    const ev = await this.deps.repo.getEvidence(caseId, evidenceId);
    if (!ev) throw new NotFoundError(`evidence ${evidenceId} not found on complaint ${caseId}`);
    if (ev.status !== 'verified') return ev;
    const link = await this.deps.vault.presignDownload({
      key: ev.key,
      ...(ev.versionId ? { versionId: ev.versionId } : {}),
      fileName: ev.fileName,
      contentType: ev.contentType,
      expiresInSeconds: DOWNLOAD_TTL_MS / 1000,
    });
    const expiresAt = new Date(Date.parse(this.deps.clock.now()) + DOWNLOAD_TTL_MS).toISOString();
    await mutateCase(this.deps, p, caseId, undefined, 'visible', (c) => recordDownload(c, ev, p.sub, expiresAt));
    return { ...ev, downloadUrl: link.url, downloadExpiresAt: expiresAt };
  }

  /**
   * Applies or releases S3 Legal Hold on every stored object of the case, then records it on the case and its
   * evidence items in one transaction (the storage calls are idempotent, so a retried request converges).
   */
  async legalHold(p: Principal, caseId: string, body: { on: boolean; reason?: string }, ifMatch?: number): Promise<Case> {
    const c = await this.visibleCase(p, caseId);
    // Refused before any object's hold is touched in storage.
    assertLegalHoldChange(c, body.on, body.reason);
    const out = await mutateCase(
      this.deps,
      p,
      caseId,
      ifMatch,
      'visible',
      // Read inside the attempt: an item registered or verified meanwhile bumps the case version, so a lost race
      // retries with the fresh items rather than writing back stale ones.
      async (cur) => {
        const items = await this.deps.repo.listEvidence(caseId);
        const stored: Evidence[] = [];
        for (const ev of items) {
          const exists = ev.status !== 'pending' || (await this.deps.vault.inspect(ev.key)) !== undefined;
          if (!exists) continue;
          await this.deps.vault.setLegalHold(ev.key, ev.versionId, body.on);
          stored.push(ev);
        }
        // Bundles already written get the hold too; one still being built picks it up when it lands.
        const bundles: ExportJob[] = [];
        if (this.deps.bundles) {
          for (const job of await this.deps.repo.listExports(caseId)) {
            if (job.status !== 'ready') continue;
            await this.deps.bundles.setBundleLegalHold(job.key, job.versionId, body.on);
            bundles.push({ ...job, legalHold: body.on });
          }
        }
        return { ...setLegalHold(cur, body.on, body.reason, [...stored.map((e) => e.key), ...bundles.map((j) => j.key)], p.sub), result: { items, bundles } };
      },
      ({ items, bundles }): CaseChild[] => [
        ...items.map((ev) => ({ kind: 'evidence' as const, evidence: { ...ev, legalHold: body.on } })),
        ...bundles.map((job) => ({ kind: 'export' as const, export: job })),
      ],
    );
    return out.case;
  }

  /** An object was created in the vault: settle its registration (verified / rejected) or record a refused upload. */
  async verify(o: ObjectCreated): Promise<VerificationOutcome> {
    const ids = parseEvidenceKey(o.key);
    if (!ids) return { outcome: 'ignored', reason: 'not_evidence', key: o.key };
    const stored = await this.deps.vault.inspect(o.key, o.versionId);
    if (!stored) return { outcome: 'ignored', reason: 'object_missing', key: o.key };
    const upload: UploadedObject = {
      key: o.key,
      sizeBytes: stored.sizeBytes,
      ...(stored.sha256 ? { sha256: stored.sha256 } : {}),
      ...(stored.versionId ?? o.versionId ? { versionId: (stored.versionId ?? o.versionId)! } : {}),
      ...(stored.retainUntil ? { retainUntil: stored.retainUntil } : {}),
      createdAt: o.time,
      ref: o.versionId ?? stored.versionId ?? o.sequencer ?? `${o.time}:${stored.sizeBytes}`,
    };
    let action = '';
    let registeredId: string | undefined;
    const out = await systemMutate(
      this.deps,
      ids.caseId,
      async (c, now) => {
        const ev = await this.deps.repo.getEvidence(ids.caseId, ids.evidenceId);
        registeredId = ev?.id;
        const decided = verifyUpload(c, ev, upload, now);
        if (decided.kind === 'duplicate') return undefined;
        action = decided.change.drafts[0]?.action ?? '';
        return decided.change;
      },
      (ev) => (ev ? [{ kind: 'evidence', evidence: ev }] : []),
    );
    if (out.kind !== 'committed') return { outcome: 'ignored', reason: out.kind === 'missing' ? 'unknown_case' : 'duplicate', key: o.key };
    // Whatever arrives while the case is on legal hold is held at once (verified, rejected or refused alike).
    if (out.case.legalHold) await this.deps.vault.setLegalHold(o.key, upload.versionId, true);
    const outcome = action === 'evidence.verified' ? 'verified' : action === 'evidence.rejected' ? 'rejected' : 'refused';
    return { outcome, caseId: ids.caseId, evidenceId: out.result?.id ?? registeredId ?? null, ...(out.result?.rejection ? { reason: out.result.rejection.reason } : {}) };
  }
}
