// Composition root for the evidence functions: the S3 vault (plus the local Object Lock record under npm start).
import { EvidenceService } from '#domain/evidence-service';
import { UPLOAD_TTL_MS } from '#domain/evidence';
import type { EvidenceVault, LetterArchive } from '#ports/evidence-vault';
import { S3EvidenceVault } from '#adapters/aws/s3-evidence-vault';
import { LocalObjectLockVault } from '#adapters/local/local-object-lock';
import { config, requireSetting } from './config';
import { caseRepository, clock, dynamo, ulidIds } from './container';
import { exportStorage } from './export-storage';

let evidence: EvidenceService | undefined;

/** The evidence vault: the Object Lock bucket in AWS; the S3 stand-in plus the local Object Lock record under npm start. */
let vault: (EvidenceVault & LetterArchive) | undefined;

/** The evidence bucket's objects, as the vault and as the archive of sent letters (under the case's letters/ keys). */
export const evidenceObjects = (): EvidenceVault & LetterArchive => (vault ??= buildVault());
export const evidenceVault = (): EvidenceVault => evidenceObjects();

const buildVault = (): EvidenceVault & LetterArchive => {
  const cfg = config();
  const s3 = new S3EvidenceVault({
    bucket: requireSetting('EVIDENCE_BUCKET'),
    region: cfg.AWS_REGION,
    ...(cfg.S3_ENDPOINT ? { endpoint: cfg.S3_ENDPOINT } : {}),
    ...(cfg.EVIDENCE_KMS_KEY_ARN ? { kmsKeyArn: cfg.EVIDENCE_KMS_KEY_ARN } : {}),
  });
  if (cfg.INTEGRATIONS !== 'local') return s3;
  return new LocalObjectLockVault(s3, dynamo().doc, { tableName: requireSetting('LOCAL_TABLE_NAME'), bucket: requireSetting('EVIDENCE_BUCKET'), retentionDays: cfg.EVIDENCE_RETENTION_DAYS, clock: clock() });
};

export const evidenceService = (): EvidenceService => {
  if (!evidence) {
    const cfg = config();
    const c = clock();
    evidence = new EvidenceService({
      repo: caseRepository(),
      clock: c,
      ids: ulidIds(c),
      vault: evidenceVault(),
      ...(cfg.EXPORTS_BUCKET ? { bundles: exportStorage() } : {}),
      policy: { allowedContentTypes: cfg.evidenceContentTypes, maxBytes: cfg.EVIDENCE_MAX_BYTES, uploadTtlMs: UPLOAD_TTL_MS },
    });
  }
  return evidence;
};
