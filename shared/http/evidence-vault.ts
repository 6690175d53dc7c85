// The evidence bucket: the Object Lock bucket in AWS; the S3 stand-in plus the local Object Lock record under npm start.
// Apart from the evidence container so that only the functions that reach evidence objects bundle the S3 client: they
// provide it (provideEvidenceVault) to the evidence and letter composition roots; listing evidence reads the table only.
import type { EvidenceVault, LetterArchive } from '#ports/evidence-vault';
import { S3EvidenceVault } from '#adapters/aws/s3-evidence-vault';
import { LocalObjectLockVault } from '#adapters/local/local-object-lock';
import { config, requireSetting } from './config';
import { clock, dynamo } from './container';
import { evidenceBucket, evidenceBucketOptions } from './evidence-container';

let vault: (EvidenceVault & LetterArchive) | undefined;

/** The evidence bucket's objects, as the vault and as the archive of sent letters (under the case's letters/ keys). */
export const evidenceObjects = (): EvidenceVault & LetterArchive => (vault ??= buildVault());

/** Wires the evidence bucket into the evidence and letter composition roots (called by the functions that reach it). */
export const provideEvidenceVault = (): void => evidenceBucket.provide(evidenceObjects);

const buildVault = (): EvidenceVault & LetterArchive => {
  const cfg = config();
  const s3 = new S3EvidenceVault(evidenceBucketOptions());
  if (cfg.INTEGRATIONS !== 'local') return s3;
  return new LocalObjectLockVault(s3, dynamo().doc, { tableName: requireSetting('LOCAL_TABLE_NAME'), bucket: requireSetting('EVIDENCE_BUCKET'), retentionDays: cfg.EVIDENCE_RETENTION_DAYS, clock: clock() });
};
