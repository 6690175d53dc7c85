// The exports bucket (and the evidence it copies from): S3 in AWS; the S3 stand-in plus the local Object Lock record
// under npm start. Apart from the export container so that legal hold can reach bundles without the PDF and ZIP code.
import type { ExportStorage } from '#ports/export-storage';
import { S3ExportStorage } from '#adapters/aws/s3-export-storage';
import { LocalExportLock } from '#adapters/local/local-export-lock';
import { config, requireSetting } from './config';
import { dynamo } from './container';
let storage: ExportStorage | undefined;

export const exportStorage = (): ExportStorage => (storage ??= buildStorage());

const buildStorage = (): ExportStorage => {
  const cfg = config();
  const exportsBucket = requireSetting('EXPORTS_BUCKET');
  const s3 = new S3ExportStorage({
    ...(cfg.EVIDENCE_BUCKET ? { evidenceBucket: cfg.EVIDENCE_BUCKET } : {}),
    exportsBucket,
    region: cfg.AWS_REGION,
    ...(cfg.S3_ENDPOINT ? { endpoint: cfg.S3_ENDPOINT } : {}),
    ...(cfg.EXPORTS_KMS_KEY_ARN ? { kmsKeyArn: cfg.EXPORTS_KMS_KEY_ARN } : {}),
  });
  if (cfg.INTEGRATIONS !== 'local') return s3;
  return new LocalExportLock(s3, dynamo().doc, { tableName: requireSetting('LOCAL_TABLE_NAME'), bucket: exportsBucket });
};

