// Composition root of the export builder: the export service with the exports bucket and its multipart upload
// (lib-storage), the manifest signer (KMS in AWS), the audit digest, the ZIP writer (yazl) and the PDF summary (pdfkit).
import { ExportService } from '#domain/export-service';
import { ZipBundleWriter } from '#adapters/export/zip-bundle-writer';
import { PdfSummaryRenderer } from '#adapters/export/pdf-summary';
import { multipartUpload } from '#adapters/aws/s3-multipart-upload';
import { auditDigestService } from './audit-container';
import { clock } from './container';
import { exportDeps } from './export-container';
import { bundleUpload, exportStorage } from './export-storage';
import { manifestSigner } from './manifest-signer';

let builder: ExportService | undefined;

export const exportBuilderService = (): ExportService => {
  if (!builder) {
    const c = clock();
    bundleUpload.provide(() => multipartUpload);
    builder = new ExportService({
      ...exportDeps(),
      storage: exportStorage(),
      signer: manifestSigner(),
      anchoring: auditDigestService(),
      bundles: { writer: new ZipBundleWriter({ mtime: () => new Date(c.now()) }), summary: new PdfSummaryRenderer() },
    });
  }
  return builder;
};
