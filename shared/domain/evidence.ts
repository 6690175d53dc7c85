// Evidence lifecycle (pure): register → (upload straight to storage) → verified | rejected; audited downloads;
// legal hold. Storage is write-once: nothing here deletes or replaces an object, and a verified item pins the
// object version it verified, so a later upload to the same key can never stand in for it.
import type { Case, EvidenceCounts } from '#schemas/complaint';
import type { Evidence, RegisterEvidenceBody } from '#schemas/evidence';
import type { AuditDraft } from './audit-chain';
import { ConflictError, InvalidInputError } from './errors';
import { assertAllowed, type Change } from './lifecycle';

export interface EvidencePolicy {
  allowedContentTypes: readonly string[];
  maxBytes: number;
  /** How long the presigned upload stays valid. */
  uploadTtlMs: number;
}

export const UPLOAD_TTL_MS = 15 * 60_000;
export const DOWNLOAD_TTL_MS = 5 * 60_000;

const KEY = /^cases\/([0-9A-HJKMNP-TV-Z]{26})\/evidence\/([0-9A-HJKMNP-TV-Z]{26})$/;

/** The root of every case's objects in the bucket. */
export const CASE_OBJECTS_ROOT = 'cases/';
/** The object tag the retention job sets once a case's record-keeping period has ended: the buckets' lifecycle rule then removes the object when its lock allows. */
export const RETENTION_ENDED_TAG = { key: 'complaints-retention', value: 'ended' } as const;

/** Every object of a case (evidence and exports) lives under this prefix. */
export const caseObjectPrefix = (caseId: string): string => `${CASE_OBJECTS_ROOT}${caseId}/`;

/** The storage key: chosen by the server from ids, never from the client's file name. */
export const evidenceKey = (caseId: string, evidenceId: string): string => `${caseObjectPrefix(caseId)}evidence/${evidenceId}`;

export const parseEvidenceKey = (key: string): { caseId: string; evidenceId: string } | undefined => {
  const m = KEY.exec(key);
  return m ? { caseId: m[1]!, evidenceId: m[2]! } : undefined;
};

/** The case's evidence counts after a change (cases stored before the counts existed start from zero). */
const countEvidence = (c: Case, change: Partial<EvidenceCounts>): EvidenceCounts => {
  const now = c.evidenceCounts ?? { pending: 0, verified: 0, rejected: 0 };
  return { pending: Math.max(0, now.pending + (change.pending ?? 0)), verified: now.verified + (change.verified ?? 0), rejected: now.rejected + (change.rejected ?? 0) };
};

const mb = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;

export const registerEvidence = (c: Case, body: RegisterEvidenceBody, policy: EvidencePolicy, ids: { evidenceId: string }, actor: string, now: string): Change<Evidence> => {
  assertAllowed(c, 'add_evidence');
  const errors: { field: string; message: string }[] = [];
  if (!policy.allowedContentTypes.includes(body.contentType)) {
    errors.push({ field: 'body.contentType', message: `${body.contentType} is not accepted; allowed: ${policy.allowedContentTypes.join(', ')}` });
  }
  if (body.sizeBytes > policy.maxBytes) errors.push({ field: 'body.sizeBytes', message: `must be at most ${policy.maxBytes} bytes (${mb(policy.maxBytes)})` });
  if (errors.length) throw new InvalidInputError('the file cannot be accepted as evidence', errors);
  const evidence: Evidence = {
    id: ids.evidenceId,
    caseId: c.id,
    fileName: body.fileName,
    contentType: body.contentType,
    sizeBytes: body.sizeBytes,
    sha256: body.sha256,
    key: evidenceKey(c.id, ids.evidenceId),
    status: 'pending',
    registeredBy: actor,
    registeredAt: now,
    uploadExpiresAt: new Date(Date.parse(now) + policy.uploadTtlMs).toISOString(),
    legalHold: c.legalHold,
  };
  return {
    case: { ...c, evidenceCounts: countEvidence(c, { pending: 1 }) },
    result: evidence,
    drafts: [
      {
        actor,
        action: 'evidence.registered',
        data: { evidenceId: evidence.id, fileName: evidence.fileName, contentType: evidence.contentType, sizeBytes: evidence.sizeBytes, sha256: evidence.sha256, key: evidence.key },
      },
    ],
  };
};

/** What storage says about an uploaded object. */
export interface UploadedObject {
  key: string;
  sizeBytes: number;
  /** Hex SHA-256 as stored by S3 (ChecksumSHA256), or computed by streaming the object. */
  sha256?: string;
  versionId?: string;
  retainUntil?: string;
  /** When storage created the object (the event time). */
  createdAt: string;
  /** Identifies this upload across redeliveries: the version id, or the event's sequencer without versioning. */
  ref: string;
}

export const VERIFIER = 'system:evidence-verifier';

export type VerifyOutcome =
  | { kind: 'changed'; change: Change<Evidence | undefined> }
  /** The same upload delivered again: nothing to record. */
  | { kind: 'duplicate' };

const refused = (c: Case, upload: UploadedObject, reason: string, evidenceId: string | null): VerifyOutcome => ({
  kind: 'changed',
  change: {
    case: c,
    result: undefined,
    bookkeeping: true,
    drafts: [{ actor: VERIFIER, action: 'evidence.upload_refused', data: { evidenceId, key: upload.key, reason, versionId: upload.versionId ?? null, sizeBytes: upload.sizeBytes, uploadedAt: upload.createdAt } }],
  },
});

/**
 * Decides what an upload means for its registration. A pending registration becomes verified (size and SHA-256
 * match, within the upload window) or rejected (with the reason); anything else — no registration, a second
 * upload to a verified or rejected item — is recorded as refused and changes no evidence.
 */
export const verifyUpload = (c: Case, ev: Evidence | undefined, upload: UploadedObject, now: string): VerifyOutcome => {
  if (!ev) return refused(c, upload, 'unregistered', null);
  if (ev.status !== 'pending') {
    // The same upload delivered twice (at-least-once events) is one upload, not a second one.
    if (ev.uploadRef === upload.ref) return { kind: 'duplicate' };
    return refused(c, upload, ev.status === 'verified' ? 'already_verified' : 'registration_closed', ev.id);
  }
  const reject = (reason: NonNullable<Evidence['rejection']>['reason'], detail: string): VerifyOutcome => {
    const next: Evidence = { ...ev, status: 'rejected', rejectedAt: now, rejection: { reason, detail }, uploadRef: upload.ref, ...(upload.versionId ? { versionId: upload.versionId } : {}) };
    return {
      kind: 'changed',
      change: { case: { ...c, evidenceCounts: countEvidence(c, { pending: -1, rejected: 1 }) }, result: next, drafts: [{ actor: VERIFIER, action: 'evidence.rejected', data: { evidenceId: ev.id, reason, detail, versionId: upload.versionId ?? null } }] },
    };
  };
  if (Date.parse(upload.createdAt) > Date.parse(ev.uploadExpiresAt)) return reject('upload_after_expiry', `uploaded ${upload.createdAt}, the upload window closed ${ev.uploadExpiresAt}`);
  if (upload.sizeBytes !== ev.sizeBytes) return reject('size_mismatch', `registered ${ev.sizeBytes} bytes, uploaded ${upload.sizeBytes}`);
  if (!upload.sha256) return reject('no_checksum', 'storage returned no SHA-256 for the object');
  if (upload.sha256 !== ev.sha256) return reject('checksum_mismatch', `registered SHA-256 ${ev.sha256}, uploaded ${upload.sha256}`);
  const next: Evidence = {
    ...ev,
    status: 'verified',
    verifiedAt: now,
    uploadRef: upload.ref,
    ...(upload.versionId ? { versionId: upload.versionId } : {}),
    ...(upload.retainUntil ? { retainUntil: upload.retainUntil } : {}),
  };
  return {
    kind: 'changed',
    change: {
      case: { ...c, evidenceCounts: countEvidence(c, { pending: -1, verified: 1 }) },
      result: next,
      drafts: [{ actor: VERIFIER, action: 'evidence.verified', data: { evidenceId: ev.id, sha256: ev.sha256, sizeBytes: ev.sizeBytes, versionId: upload.versionId ?? null, retainUntil: upload.retainUntil ?? null } }],
    },
  };
};

/** A download link is a disclosure: who was given access to which file (and version), until when. */
export const recordDownload = (c: Case, ev: Evidence, actor: string, expiresAt: string): Change => {
  if (ev.status !== 'verified') throw new ConflictError(`evidence ${ev.id} is ${ev.status}; only verified evidence can be downloaded`, { evidenceStatus: ev.status });
  const draft: AuditDraft = {
    actor,
    action: 'evidence.download_issued',
    data: { evidenceId: ev.id, fileName: ev.fileName, sha256: ev.sha256, versionId: ev.versionId ?? null, expiresAt },
  };
  return { case: c, result: undefined, bookkeeping: true, drafts: [draft] };
};

/** Applies or releases the legal hold on the case and records which objects it covers. */
/** Whether the hold may change: not to the state it is in, and never released without a reason. */
export const assertLegalHoldChange = (c: Pick<Case, 'legalHold'>, on: boolean, reason: string | undefined): void => {
  if (c.legalHold === on) throw new ConflictError(`the legal hold is already ${on ? 'on' : 'off'}`, { legalHold: on });
  if (!on && !reason) throw new InvalidInputError('a reason is required to release a legal hold', [{ field: 'body.reason', message: 'required when on is false' }]);
};

export const setLegalHold = (c: Case, on: boolean, reason: string | undefined, objects: string[], actor: string): Change => {
  assertLegalHoldChange(c, on, reason);
  return {
    case: { ...c, legalHold: on },
    result: undefined,
    drafts: [{ actor, action: on ? 'legal_hold.applied' : 'legal_hold.released', data: { reason: reason ?? null, objects: objects.length, keys: objects } }],
  };
};
