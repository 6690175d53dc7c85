// Composition root for the evidence functions: the case table, and, where a function reaches evidence objects or export
// bundles, the evidence bucket (provided by those functions: evidence-vault.ts) and the exports bucket (export-storage.ts).
// The upload and download links are provided apart (evidence-links.ts): signed without the S3 client, so the routes that
// only hand out links do not bundle it. Listing evidence reads the table only, so it bundles no S3 client.
import { EvidenceService } from '#domain/evidence-service';
import { UPLOAD_TTL_MS } from '#domain/evidence';
import type { EvidenceVault, LetterArchive } from '#ports/evidence-vault';
import type { EvidenceLinks } from '#adapters/aws/s3-links';
import { config, requireSetting } from './config';
import { caseRepository, clock, ulidIds } from './container';
import { exportsBucket } from './export-container';
import { provided } from './provided';

let evidence: EvidenceService | undefined;

/** The evidence bucket's settings, for the vault, the links and the mail intake's writer alike. */
export const evidenceBucketOptions = (): { bucket: string; region: string; endpoint?: string; kmsKeyArn?: string } => {
  const cfg = config();
  return {
    bucket: requireSetting('EVIDENCE_BUCKET'),
    region: cfg.AWS_REGION,
    ...(cfg.S3_ENDPOINT ? { endpoint: cfg.S3_ENDPOINT } : {}),
    ...(cfg.EVIDENCE_KMS_KEY_ARN ? { kmsKeyArn: cfg.EVIDENCE_KMS_KEY_ARN } : {}),
  };
};

/** The evidence bucket: provided by the functions that reach evidence objects (evidence-vault.ts). */
export const evidenceBucket = provided<EvidenceVault & LetterArchive>('the evidence bucket', 'get-evidence, register-evidence, legal-hold, the evidence verifier and the letter senders');

/** The presigned upload and download links: provided by the functions that hand them out (evidence-links.ts). */
export const evidenceLinks = provided<EvidenceLinks>('the evidence links', 'get-evidence and register-evidence');

/** Resolved at each call: a function that never reaches an object never builds (nor bundles) the vault. */
export const lazyEvidenceVault: EvidenceVault & LetterArchive = {
  presignUpload: (o) => evidenceLinks.get().presignUpload(o),
  presignDownload: (o) => evidenceLinks.get().presignDownload(o),
  inspect: (key, versionId) => evidenceBucket.get().inspect(key, versionId),
  setLegalHold: (key, versionId, on) => evidenceBucket.get().setLegalHold(key, versionId, on),
  writeLetter: (o) => evidenceBucket.get().writeLetter(o),
};

export const evidenceService = (): EvidenceService => {
  if (!evidence) {
    const cfg = config();
    const c = clock();
    evidence = new EvidenceService({
      repo: caseRepository(),
      clock: c,
      ids: ulidIds(c),
      vault: lazyEvidenceVault,
      // A legal hold reaches the case's export bundles too (legal-hold provides the exports bucket).
      ...(cfg.EXPORTS_BUCKET ? { bundles: { setBundleLegalHold: (key: string, versionId: string | undefined, on: boolean) => exportsBucket.get().setBundleLegalHold(key, versionId, on) } } : {}),
      policy: { allowedContentTypes: cfg.evidenceContentTypes, maxBytes: cfg.EVIDENCE_MAX_BYTES, uploadTtlMs: UPLOAD_TTL_MS },
    });
  }
  return evidence;
};
