// The exports bucket (and the evidence it copies from): S3 in AWS; the S3 stand-in plus the local Object Lock record
// under npm start. Apart from the export container so that only the functions that reach bundles bundle the S3 client:
// the download (get-export) and legal hold provide it to the export and evidence composition roots; the export builder
// also gives it the multipart upload (lib-storage), which no other function bundles.
import type { ExportStorage } from '#ports/export-storage';
import { S3ExportStorage } from '#adapters/aws/s3-export-storage';
import type { MultipartUpload } from '#adapters/aws/s3-multipart-upload';
import { LocalExportLock } from '#adapters/local/local-export-lock';
import { config, requireSetting } from './config';
import { dynamo } from './container';
import { exportsBucket } from './export-container';
import { provided } from './provided';

let storage: ExportStorage | undefined;

/** How bundles are written: provided by the export builder (export-builder-container.ts). */
export const bundleUpload = provided<MultipartUpload>('the multipart bundle upload', 'the export builder');

export const exportStorage = (): ExportStorage => (storage ??= buildStorage());

/** Wires the exports bucket into the export and evidence composition roots (called by the functions that reach bundles). */
export const provideExportStorage = (): void => exportsBucket.provide(exportStorage);

const buildStorage = (): ExportStorage => {
  const cfg = config();
  const exportsBucket = requireSetting('EXPORTS_BUCKET');
  const s3 = new S3ExportStorage({
    ...(cfg.EVIDENCE_BUCKET ? { evidenceBucket: cfg.EVIDENCE_BUCKET } : {}),
    exportsBucket,
    region: cfg.AWS_REGION,
    ...(cfg.S3_ENDPOINT ? { endpoint: cfg.S3_ENDPOINT } : {}),
    ...(cfg.EXPORTS_KMS_KEY_ARN ? { kmsKeyArn: cfg.EXPORTS_KMS_KEY_ARN } : {}),
    upload: (client, params, o) => bundleUpload.get()(client, params, o),
  });
  if (cfg.INTEGRATIONS !== 'local') return s3;
  return new LocalExportLock(s3, dynamo().doc, { tableName: requireSetting('LOCAL_TABLE_NAME'), bucket: exportsBucket });
};
