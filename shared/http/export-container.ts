// Composition root for the export functions: S3 storage (evidence in, bundles out), the manifest signer (KMS in AWS,
// a local P-256 key under npm start), the ZIP writer and the PDF summary.
import { ExportService } from '#domain/export-service';
import type { ManifestSigner } from '#ports/manifest-signer';
import { KmsManifestSigner } from '#adapters/aws/kms-manifest-signer';
import { LocalManifestSigner } from '#adapters/local/local-manifest-signer';
import { ZipBundleWriter } from '#adapters/export/zip-bundle-writer';
import { PdfSummaryRenderer } from '#adapters/export/pdf-summary';
import { config, requireSetting } from './config';
import { caseRepository, clock, ulidIds } from './container';
import { exportStorage } from './export-storage';

let service: ExportService | undefined;

const buildSigner = (): ManifestSigner => {
  const cfg = config();
  if (cfg.EXPORT_SIGNING_KEY_ARN) return new KmsManifestSigner({ keyArn: cfg.EXPORT_SIGNING_KEY_ARN, region: cfg.AWS_REGION });
  if (cfg.INTEGRATIONS === 'local') return new LocalManifestSigner(requireSetting('EXPORT_SIGNING_KEY_FILE'));
  return new KmsManifestSigner({ keyArn: requireSetting('EXPORT_SIGNING_KEY_ARN'), region: cfg.AWS_REGION });
};

export const exportService = (): ExportService => {
  if (!service) {
    const cfg = config();
    const c = clock();
    service = new ExportService({
      repo: caseRepository(),
      clock: c,
      ids: ulidIds(c),
      storage: exportStorage(),
      signer: buildSigner(),
      writer: new ZipBundleWriter({ mtime: () => new Date(c.now()) }),
      summary: new PdfSummaryRenderer(),
      retentionDays: cfg.EXPORT_RETENTION_DAYS ?? cfg.EVIDENCE_RETENTION_DAYS,
    });
  }
  return service;
};
