// Evidence: files attached to a case, stored immutably (S3 Object Lock) and verified by SHA-256.
import * as z from 'zod';
import { IsoTimestamp, Text, Ulid, pageOf } from './common';

/** The default allowlist: documents, images, text, email, office files and call recordings (EVIDENCE_CONTENT_TYPES overrides it). */
export const DEFAULT_EVIDENCE_CONTENT_TYPES = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/tiff',
  'image/heic',
  'text/plain',
  'text/csv',
  'message/rfc822',
  'application/vnd.ms-outlook',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'audio/mpeg',
  'audio/mp4',
  'audio/wav',
  'audio/x-wav',
  'audio/ogg',
  'audio/webm',
  'audio/flac',
] as const;

export const DEFAULT_EVIDENCE_MAX_BYTES = 100 * 1024 * 1024;
/** Seven years (7 × 365 + 2 leap days): the default compliance-mode retention of every evidence object version. */
export const DEFAULT_EVIDENCE_RETENTION_DAYS = 2557;

/** A plain file name: what the customer called it. It never becomes a storage key. */
export const FileName = /* @__PURE__ */ z
  .string()
  .trim()
  .min(1)
  .max(255)
  .refine((s) => !/[/\\]/.test(s), 'must be a file name, not a path (no / or \\)')
  // C0/C1 controls, line/paragraph separators and bidirectional overrides (which disguise extensions: "invoice‮fdp.exe").
  .refine((s) => !/[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u.test(s), 'must not contain control or bidirectional-override characters')
  .refine((s) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s), 'must be valid Unicode (no lone surrogates)')
  .refine((s) => !/^\.+$/.test(s), 'must be a file name, not . or ..');

export const Sha256Hex = /* @__PURE__ */ z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, 'must be a hex SHA-256 (64 hex digits)')
  .transform((s) => s.toLowerCase())
  .meta({ description: 'SHA-256 of the file, hex', example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' });

export const ContentType = /* @__PURE__ */ z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/, 'must be a media type such as application/pdf');

export const RegisterEvidenceBody = /* @__PURE__ */ z
  .object({
    fileName: FileName,
    contentType: ContentType,
    sizeBytes: /* @__PURE__ */ z.number().int().min(1),
    sha256: Sha256Hex,
  })
  .strict()
  .meta({ id: 'RegisterEvidence' });
export type RegisterEvidenceBody = z.infer<typeof RegisterEvidenceBody>;

export const EVIDENCE_STATUSES = ['pending', 'verified', 'rejected'] as const;
export const EvidenceStatus = /* @__PURE__ */ z.enum(EVIDENCE_STATUSES);

export const REJECTION_REASONS = ['checksum_mismatch', 'size_mismatch', 'upload_after_expiry', 'no_checksum'] as const;

export const Evidence = /* @__PURE__ */ z
  .object({
    id: Ulid,
    caseId: Ulid,
    fileName: /* @__PURE__ */ z.string(),
    contentType: /* @__PURE__ */ z.string(),
    sizeBytes: /* @__PURE__ */ z.number().int(),
    sha256: /* @__PURE__ */ z.string(),
    /** Server-chosen storage key (never derived from the file name). */
    key: /* @__PURE__ */ z.string(),
    status: EvidenceStatus,
    registeredBy: /* @__PURE__ */ z.string(),
    registeredAt: IsoTimestamp,
    uploadExpiresAt: IsoTimestamp,
    versionId: /* @__PURE__ */ z.string().optional().meta({ description: 'The object version that was verified; downloads always serve this version' }),
    retainUntil: /* @__PURE__ */ IsoTimestamp.optional().meta({ description: 'Object Lock retention (compliance mode): not deletable by anyone before this' }),
    legalHold: /* @__PURE__ */ z.boolean(),
    verifiedAt: /* @__PURE__ */ IsoTimestamp.optional(),
    rejectedAt: /* @__PURE__ */ IsoTimestamp.optional(),
    rejection: /* @__PURE__ */ z.object({ reason: /* @__PURE__ */ z.enum(REJECTION_REASONS), detail: /* @__PURE__ */ z.string() }).optional(),
    uploadRef: /* @__PURE__ */ z.string().optional().meta({ description: 'The upload that settled this item (object version or event sequencer)' }),
    letter: /* @__PURE__ */ z
      .object({
        kind: /* @__PURE__ */ z.enum(['acknowledgement', 'holding', 'summary_resolution', 'final_response']),
        template: /* @__PURE__ */ z.object({ id: /* @__PURE__ */ z.string(), version: /* @__PURE__ */ z.string() }).nullable().meta({ description: 'The template rendered, or null when the sender supplied the text' }),
      })
      .optional()
      .meta({ description: 'Set on the exact text of a letter sent to the customer, written by the service itself (verified at write: storage checked its SHA-256)' }),
  })
  .meta({ id: 'Evidence' });
export type Evidence = z.infer<typeof Evidence>;

export const EvidenceUpload = /* @__PURE__ */ z
  .object({
    url: /* @__PURE__ */ z.string(),
    method: /* @__PURE__ */ z.literal('PUT'),
    headers: /* @__PURE__ */ z.record(/* @__PURE__ */ z.string(), /* @__PURE__ */ z.string()).meta({ description: 'Send exactly these headers with the PUT: they are signed' }),
    expiresAt: IsoTimestamp,
  })
  .meta({ id: 'EvidenceUpload' });

export const RegisteredEvidence = /* @__PURE__ */ z.object({ evidenceId: Ulid, evidence: Evidence, upload: EvidenceUpload }).meta({ id: 'RegisteredEvidence' });

export const EvidenceView = /* @__PURE__ */ Evidence.extend({
  downloadUrl: /* @__PURE__ */ z.string().optional().meta({ description: 'Presigned GET of the verified version, valid 5 minutes; issuing it is audited' }),
  downloadExpiresAt: /* @__PURE__ */ IsoTimestamp.optional(),
}).meta({ id: 'EvidenceView' });

export const EvidenceList = /* @__PURE__ */ pageOf(Evidence, 'EvidenceList');

export const EvidenceParams = /* @__PURE__ */ z.object({ id: Ulid, evidenceId: Ulid }).strict();

export const LegalHoldBody = /* @__PURE__ */ z
  .object({ on: /* @__PURE__ */ z.boolean(), reason: /* @__PURE__ */ Text(2000).optional() })
  .strict()
  .refine((b) => b.on || b.reason !== undefined, { message: 'a reason is required to release a legal hold', path: ['reason'] })
  .meta({ id: 'LegalHold' });
export type LegalHoldBody = z.infer<typeof LegalHoldBody>;
