// Compliance exports, the pure part: one export at a time per case, its job's life (pending → running → ready or
// failed), the audited download, and the manifest the bundle is signed by. No I/O here.
import type { Case } from '#schemas/complaint';
import { BUNDLE_FORMAT, SIGNING_ALGORITHM, type ExportJob, type Manifest } from '#schemas/export';
import type { ChainHead } from './audit-chain';
import type { Change } from './lifecycle';

export const EXPORT_ACTOR = 'system:export-builder';
/** Download links to a ready bundle live this long. */
export const EXPORT_DOWNLOAD_TTL_MS = 5 * 60_000;
/**
 * A running build not finished after this long is taken to have died: the builder's timeout is 15 minutes and it
 * gives up (recording the failure) before then, so only a crash leaves a job running; Lambda's second retry of the
 * invocation (about 3 minutes after the first failure) then reclaims it.
 */
export const EXPORT_STALE_AFTER_MS = 16 * 60_000;
/** A pending job its builder never claimed (the invocation was dead-lettered: at most 1 hour of retries) is dead after this long. */
export const EXPORT_PENDING_STALE_MS = 2 * 60 * 60_000;
/** Whether a live-looking job has in fact been abandoned at `now`. */
export const isAbandoned = (job: Pick<ExportJob, 'status' | 'requestedAt' | 'startedAt'>, now: string): boolean =>
  (job.status === 'pending' && Date.parse(now) - Date.parse(job.requestedAt) > EXPORT_PENDING_STALE_MS) ||
  (job.status === 'running' && job.startedAt !== undefined && Date.parse(now) - Date.parse(job.startedAt) > EXPORT_STALE_AFTER_MS);
const DAY_MS = 86_400_000;

/** Storage key of a bundle: under the case, beside its evidence (legal hold and lifecycle rules cover `cases/`). */
export const exportKey = (caseId: string, exportId: string) => `cases/${caseId}/exports/${exportId}.zip`;
export const bundleFileName = (c: Pick<Case, 'reference'>, exportId: string) => `${c.reference}-${exportId}.zip`;

/** The running export a second request gets back, or undefined when none runs. */
export const runningExport = (c: Case): string | undefined => c.activeExportId;

/** Records the request: the job starts pending and the case remembers it until it ends (the builder picks it up from the stream). */
export const requestExport = (c: Case, o: { exportId: string; actor: string; now: string; key: string; retentionDays: number }): Change<ExportJob> => {
  const job: ExportJob = {
    exportId: o.exportId,
    caseId: c.id,
    reference: c.reference,
    status: 'pending',
    requestedBy: o.actor,
    requestedAt: o.now,
    key: o.key,
    retainUntil: new Date(Date.parse(o.now) + o.retentionDays * DAY_MS).toISOString(),
    legalHold: c.legalHold,
  };
  return {
    case: { ...c, activeExportId: o.exportId },
    result: job,
    bookkeeping: true,
    drafts: [{ actor: o.actor, action: 'export.requested', data: { exportId: o.exportId, retainUntil: job.retainUntil, legalHold: c.legalHold } }],
  };
};

/** The builder claims a pending job (or one whose builder died); undefined when another builder has it or it ended. */
export const startExport = (c: Case, job: ExportJob, now: string): Change<ExportJob> | undefined => {
  const stale = job.status === 'running' && isAbandoned(job, now);
  if (job.status !== 'pending' && !stale) return undefined;
  const next: ExportJob = { ...job, status: 'running', startedAt: now };
  return { case: c, result: next, bookkeeping: true, drafts: [{ actor: EXPORT_ACTOR, action: 'export.started', data: { exportId: job.exportId, restarted: stale } }] };
};

export interface BuiltBundle {
  versionId?: string;
  sizeBytes: number;
  sha256: string;
  manifestSha256: string;
  files: number;
  legalHold: boolean;
}

export const completeExport = (c: Case, job: ExportJob, built: BuiltBundle, now: string): Change<ExportJob> => {
  const next: ExportJob = {
    ...job,
    status: 'ready',
    finishedAt: now,
    ...(built.versionId ? { versionId: built.versionId } : {}),
    sizeBytes: built.sizeBytes,
    sha256: built.sha256,
    manifestSha256: built.manifestSha256,
    files: built.files,
    legalHold: built.legalHold,
  };
  const { activeExportId: _a, ...rest } = c;
  return {
    case: c.activeExportId === job.exportId ? rest : c,
    result: next,
    bookkeeping: true,
    drafts: [
      {
        actor: EXPORT_ACTOR,
        action: 'export.completed',
        data: { exportId: job.exportId, sha256: built.sha256, manifestSha256: built.manifestSha256, sizeBytes: built.sizeBytes, files: built.files, versionId: built.versionId ?? null, retainUntil: job.retainUntil ?? null, legalHold: built.legalHold },
      },
    ],
  };
};

export const failExport = (c: Case, job: ExportJob, error: string, now: string): Change<ExportJob> => {
  const { activeExportId: _a, ...rest } = c;
  return {
    case: c.activeExportId === job.exportId ? rest : c,
    result: { ...job, status: 'failed', finishedAt: now, error },
    bookkeeping: true,
    drafts: [{ actor: EXPORT_ACTOR, action: 'export.failed', data: { exportId: job.exportId, error } }],
  };
};

/** A legal hold placed or released on the case while (or after) its bundle was written now reaches the bundle. */
export const reconcileBundleHold = (c: Case, job: ExportJob): Change<ExportJob> | undefined =>
  job.status !== 'ready' || job.legalHold === c.legalHold
    ? undefined
    : { case: c, result: { ...job, legalHold: c.legalHold }, bookkeeping: true, drafts: [{ actor: EXPORT_ACTOR, action: c.legalHold ? 'export.legal_hold_applied' : 'export.legal_hold_released', data: { exportId: job.exportId, versionId: job.versionId ?? null } }] };

/** Issuing a download link to a bundle is audited: who, which bundle and version, until when. */
export const recordExportDownload = (c: Case, job: ExportJob, actor: string, expiresAt: string): Change<undefined> => ({
  case: c,
  result: undefined,
  bookkeeping: true,
  drafts: [{ actor, action: 'export.download_issued', data: { exportId: job.exportId, sha256: job.sha256 ?? null, versionId: job.versionId ?? null, expiresAt } }],
});

/** The manifest of a bundle: every file with its size and hash, the chain head it was built at, who and when. */
export const buildManifest = (o: {
  job: ExportJob;
  c: Case;
  head: ChainHead;
  chainValid: boolean;
  files: Manifest['files'];
  evidence: Manifest['evidence'];
  exportedAt: string;
  keyId: string;
  legalHold: boolean;
  /** The digest written at this export that anchors the head (audit-anchor.json). */
  anchor?: { digestId: string; digestNumber: number; seq: number; hash: string };
}): Manifest => ({
  format: BUNDLE_FORMAT,
  exportId: o.job.exportId,
  caseId: o.c.id,
  reference: o.c.reference,
  exportedAt: o.exportedAt,
  exportedBy: o.job.requestedBy,
  files: o.files,
  auditChain: { seq: o.head.seq, head: o.head.hash, valid: o.chainValid },
  ...(o.anchor ? { auditAnchor: o.anchor } : {}),
  evidence: o.evidence,
  legalHold: o.legalHold,
  retainUntil: o.job.retainUntil ?? o.exportedAt,
  ...(o.job.release ? { release: o.job.release } : {}),
  signing: { keyId: o.keyId, algorithm: SIGNING_ALGORITHM },
});
