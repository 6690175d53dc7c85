// Compliance exports (controls 4 and 7): the locked case bundle, its signed manifest, and the export job.
// The bundle format is defined here once: the export builder writes it, the offline verifier (complaint-verify)
// reads it, and tests tamper with it.
import * as z from 'zod';
import { SIGNING_ALGORITHM } from './constants';
import { IsoTimestamp, Ulid, UserId } from './common';
import { Sha256Hex } from './evidence';
import { ManifestRelease } from './release';

export const BUNDLE_FORMAT = 'complaint-bundle/1';
export { SIGNING_ALGORITHM };
export const SIGNING_CURVE = 'P-256';

/** Fixed paths inside the ZIP; evidence files live under `evidence/<evidenceId>/<fileName>`. */
export const BUNDLE_PATHS = {
  case: 'case.json',
  timeline: 'timeline.json',
  notes: 'notes.json',
  tasks: 'tasks.json',
  escalations: 'escalations.json',
  approvals: 'approvals.json',
  resolutions: 'resolutions.json',
  evidenceLog: 'evidence.json',
  summary: 'summary.pdf',
  manifest: 'manifest.json',
  signature: 'manifest.sig.json',
  publicKey: 'public-key.pem',
  /** The signed audit digest that anchors the exported head, and the Merkle proof of the case in it (#schemas/audit-digest BundleAnchor). */
  auditAnchor: 'audit-anchor.json',
} as const;
export const evidencePath = (evidenceId: string, fileName: string) => `evidence/${evidenceId}/${fileName}`;

export const ManifestFile = /* @__PURE__ */ z.object({
  path: /* @__PURE__ */ z.string().min(1),
  sizeBytes: /* @__PURE__ */ z.number().int().min(0),
  sha256: Sha256Hex,
});
export type ManifestFile = z.infer<typeof ManifestFile>;

export const Manifest = /* @__PURE__ */ z
  .object({
    format: /* @__PURE__ */ z.literal(BUNDLE_FORMAT),
    exportId: Ulid,
    caseId: Ulid,
    reference: /* @__PURE__ */ z.string(),
    exportedAt: IsoTimestamp,
    exportedBy: UserId,
    /** Every file of the bundle but the manifest, its signature and the copy of the public key, in ZIP order. */
    files: /* @__PURE__ */ z.array(ManifestFile),
    /** The audit chain as the case recorded it when the bundle was built: timeline.json must recompute to this head. */
    auditChain: /* @__PURE__ */ z.object({ seq: /* @__PURE__ */ z.number().int().min(0), head: /* @__PURE__ */ z.string().regex(/^[0-9a-f]{64}$/), valid: /* @__PURE__ */ z.boolean() }),
    /** The audit digest written at this export that anchors exactly auditChain.seq/head (audit-anchor.json holds it and the proof); absent in bundles from before digests. */
    auditAnchor: /* @__PURE__ */ z.object({ digestId: Ulid, digestNumber: /* @__PURE__ */ z.number().int().min(1), seq: /* @__PURE__ */ z.number().int().min(1), hash: /* @__PURE__ */ z.string().regex(/^[0-9a-f]{64}$/) }).optional(),
    /** The verified evidence copied in: the bundle file, the SHA-256 the vault verified and the storage version. */
    evidence: /* @__PURE__ */ z.array(/* @__PURE__ */ z.object({ evidenceId: Ulid, path: /* @__PURE__ */ z.string(), sha256: Sha256Hex, sizeBytes: /* @__PURE__ */ z.number().int().min(0), versionId: /* @__PURE__ */ z.string().nullable() })),
    legalHold: /* @__PURE__ */ z.boolean(),
    retainUntil: IsoTimestamp,
    /** A release outside the organisation (legal discovery, regulator request): the recipient and both approvals. */
    release: /* @__PURE__ */ ManifestRelease.optional(),
    signing: /* @__PURE__ */ z.object({ keyId: /* @__PURE__ */ z.string(), algorithm: /* @__PURE__ */ z.literal(SIGNING_ALGORITHM) }),
  })
  .meta({ id: 'ExportManifest' });
export type Manifest = z.infer<typeof Manifest>;

/** manifest.sig.json: the signature over the exact bytes of manifest.json (DER-encoded ECDSA, base64). */
export const ManifestSignature = /* @__PURE__ */ z.object({
  algorithm: /* @__PURE__ */ z.literal(SIGNING_ALGORITHM),
  keyId: /* @__PURE__ */ z.string(),
  signedFile: /* @__PURE__ */ z.literal(BUNDLE_PATHS.manifest),
  signature: /* @__PURE__ */ z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64'),
});
export type ManifestSignature = z.infer<typeof ManifestSignature>;

export const EXPORT_STATUSES = ['pending', 'running', 'ready', 'failed'] as const;
export const ExportStatus = /* @__PURE__ */ z.enum(EXPORT_STATUSES);
export type ExportStatus = z.infer<typeof ExportStatus>;
export const isRunningExport = (s: ExportStatus) => s === 'pending' || s === 'running';

/** The stored export job (EXPORT#<exportId> under the case). */
export const ExportJob = /* @__PURE__ */ z
  .object({
    exportId: Ulid,
    caseId: Ulid,
    reference: /* @__PURE__ */ z.string(),
    status: ExportStatus,
    requestedBy: UserId,
    requestedAt: IsoTimestamp,
    startedAt: /* @__PURE__ */ IsoTimestamp.optional(),
    finishedAt: /* @__PURE__ */ IsoTimestamp.optional(),
    /** Storage key of the ZIP in the exports bucket. */
    key: /* @__PURE__ */ z.string(),
    versionId: /* @__PURE__ */ z.string().optional(),
    sizeBytes: /* @__PURE__ */ z.number().int().min(0).optional(),
    /** SHA-256 of the whole ZIP. */
    sha256: /* @__PURE__ */ Sha256Hex.optional(),
    manifestSha256: /* @__PURE__ */ Sha256Hex.optional(),
    files: /* @__PURE__ */ z.number().int().min(0).optional().meta({ description: 'Files the manifest lists (the ZIP also holds manifest.json, its signature and a copy of the public key)' }),
    retainUntil: /* @__PURE__ */ IsoTimestamp.optional(),
    legalHold: /* @__PURE__ */ z.boolean(),
    error: /* @__PURE__ */ z.string().optional(),
    release: /* @__PURE__ */ ManifestRelease.optional().meta({ description: 'Built for an approved release to a named recipient outside the organisation' }),
  })
  .meta({ id: 'ExportJob' });
export type ExportJob = z.infer<typeof ExportJob>;

/** What GET /v1/exports/{exportId} answers: the job, and once ready a short-lived link (its issue is audited). */
export const ExportView = /* @__PURE__ */ ExportJob.omit({ key: true })
  .extend({ downloadUrl: /* @__PURE__ */ z.url().optional(), downloadExpiresAt: /* @__PURE__ */ IsoTimestamp.optional() })
  .meta({ id: 'ExportView' });
export type ExportView = z.infer<typeof ExportView>;

export const ExportParams = /* @__PURE__ */ z.object({ exportId: Ulid });
export const PublicKeyView = /* @__PURE__ */ z
  .object({ keyId: /* @__PURE__ */ z.string(), algorithm: /* @__PURE__ */ z.literal(SIGNING_ALGORITHM), curve: /* @__PURE__ */ z.literal(SIGNING_CURVE), publicKeyPem: /* @__PURE__ */ z.string(), format: /* @__PURE__ */ z.literal(BUNDLE_FORMAT) })
  .meta({ id: 'ExportPublicKey' });
export type PublicKeyView = z.infer<typeof PublicKeyView>;
